package dev.moat.agent.apps;

import dev.moat.guard.conformance.ConformanceFixture;
import java.io.IOException;
import org.springframework.ai.tool.annotation.Tool;

/** The conformance fixture's three tools as a plain Spring AI tool class (no Moat annotation: the agent guards it). */
public final class SpringAiConformanceTools {
    private final ConformanceFixture fx;

    public SpringAiConformanceTools(ConformanceFixture fx) {
        this.fx = fx;
    }

    @Tool(name = ConformanceFixture.ECHO, description = "Echoes the text")
    public String echo(String text) {
        return fx.echo(text);
    }

    @Tool(name = ConformanceFixture.READ_FILE, description = "Reads a file from the workspace")
    public String readFile(String path) throws IOException {
        return fx.readFile(path);
    }

    @Tool(name = ConformanceFixture.WIRE_MONEY, description = "Wires money")
    public String wireMoney(String to, long amount) {
        return fx.wireMoney(to, amount);
    }
}
