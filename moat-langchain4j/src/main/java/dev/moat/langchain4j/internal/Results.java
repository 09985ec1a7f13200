package dev.moat.langchain4j.internal;

import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.moat.pep.Decision;
import java.util.Map;

/** The tool results Moat itself produces: a denial the model can read, with machine-readable attributes. */
public final class Results {
    /** Attribute: the stable reason code of a denial, for example {@code not_granted}. */
    public static final String REASON_CODE = "moat.reason_code";
    /** Attribute: the stage that denied, for example {@code capability}. */
    public static final String STAGE = "moat.stage";

    private Results() {}

    public static ToolExecutionResult denied(Decision.Deny deny) {
        return ToolExecutionResult.builder()
                .isError(true)
                .resultText(deny.explain())
                .attributes(Map.of(REASON_CODE, deny.code().code(), STAGE, deny.stage().code()))
                .build();
    }

    /** The sandbox stopped the tool's WebAssembly implementation: say why, with the stable codes. */
    public static ToolExecutionResult sandboxStopped(dev.moat.guard.SandboxStoppedException e) {
        return ToolExecutionResult.builder()
                .isError(true)
                .resultText("error: the sandbox stopped this tool: " + e.code() + " (execution/" + e.reasonCode().code() + ")")
                .attributes(Map.of(REASON_CODE, e.reasonCode().code(), STAGE, "execution", "moat.sandbox_stop", e.code()))
                .build();
    }

    /** The tool ran but Moat could not record its outcome: say so, never pretend it did not run. */
    public static ToolExecutionResult unrecorded(String tool) {
        return ToolExecutionResult.builder()
                .isError(true)
                .resultText("error: tool '" + tool + "' ran but Moat could not record its outcome (internal)")
                .attributes(Map.of(REASON_CODE, "internal", STAGE, "execution"))
                .build();
    }
}
