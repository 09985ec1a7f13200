package dev.moat.agent.apps;

import dev.langchain4j.agent.tool.Tool;
import dev.moat.guard.conformance.ConformanceFixture;
import java.io.IOException;

/** The conformance fixture's three tools as a plain LangChain4j tool class (no Moat annotation: the agent guards it). */
public final class ConformanceTools {
    private final ConformanceFixture fx;

    public ConformanceTools(ConformanceFixture fx) {
        this.fx = fx;
    }

    @Tool(name = ConformanceFixture.ECHO, value = "Echoes the text")
    public String echo(String text) {
        return fx.echo(text);
    }

    @Tool(name = ConformanceFixture.READ_FILE, value = "Reads a file from the workspace")
    public String readFile(String path) throws IOException {
        return fx.readFile(path);
    }

    @Tool(name = ConformanceFixture.WIRE_MONEY, value = "Wires money")
    public String wireMoney(String to, long amount) {
        return fx.wireMoney(to, amount);
    }
}
