package dev.moat.langchain4j.internal;

import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.moat.pep.Decision;
import dev.moat.secrets.RedactedException;
import dev.moat.secrets.Redactor;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tool results Moat itself produces: a denial the model can read, with machine-readable attributes. */
public final class Results {
    /** Attribute: the stable reason code of a denial, for example {@code not_granted}. */
    public static final String REASON_CODE = "moat.reason_code";
    /** Attribute: the stage that denied, for example {@code capability}. */
    public static final String STAGE = "moat.stage";

    private Results() {}

    /**
     * A denial as the model reads it, in core's {@link dev.moat.guard.DenialText} form: stage and
     * reason code, no policy values unless {@code text} is detailed.
     */
    public static ToolExecutionResult denied(Decision.Deny deny, dev.moat.guard.DenialText text) {
        return ToolExecutionResult.builder()
                .isError(true)
                .resultText(text.forModel(deny))
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

    /**
     * {@code result} with every secret form removed from its text and string attributes; a fresh
     * result when anything changed, so the raw return value does not survive either.
     */
    public static ToolExecutionResult redacted(ToolExecutionResult result, Redactor redactor) {
        String text = result.resultText();
        String clean = redactor.redact(text);
        boolean changed = !java.util.Objects.equals(text, clean);
        Map<String, Object> attributes = result.attributes();
        Map<String, Object> cleanAttributes = attributes;
        if (attributes != null && !attributes.isEmpty()) {
            cleanAttributes = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : attributes.entrySet()) {
                Object v = e.getValue() instanceof String str ? redactor.redact(str) : e.getValue();
                changed |= v != e.getValue() && !v.equals(e.getValue());
                cleanAttributes.put(redactor.redact(e.getKey()), v);
                changed |= !e.getKey().equals(redactor.redact(e.getKey()));
            }
        }
        if (!changed) {
            return result;
        }
        ToolExecutionResult.Builder b = ToolExecutionResult.builder().isError(result.isError()).result(clean).resultText(clean);
        if (cleanAttributes != null) {
            b.attributes(cleanAttributes);
        }
        return b.build();
    }

    /**
     * A redacted copy of what a tool threw, of the same LangChain4j type where it is one (so
     * LangChain4j picks the same error handler), with every message of the cause chain redacted
     * and no reference to the original.
     */
    public static RuntimeException redacted(Exception error, Redactor redactor) {
        RedactedException cause = error.getCause() == null ? null : RedactedException.of(error.getCause(), redactor);
        String message = redactor.redact(error.getMessage());
        RuntimeException out;
        if (error instanceof ToolArgumentsException a) {
            out = new ToolArgumentsException(message, cause, a.errorCode());
        } else if (error instanceof ToolExecutionException x) {
            out = new ToolExecutionException(message, cause, x.errorCode());
        } else {
            return RedactedException.of(error, redactor);
        }
        out.setStackTrace(error.getStackTrace());
        return out;
    }
}
