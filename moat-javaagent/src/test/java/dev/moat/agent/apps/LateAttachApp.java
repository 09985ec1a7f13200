package dev.moat.agent.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * Loads and calls its tool class before any agent is there, says READY, waits for a line on stdin
 * (the test attaches the agent meanwhile), then calls the tools again.
 */
public final class LateAttachApp {
    public static void main(String[] args) throws Exception {
        ToolApp.Tools tools = new ToolApp.Tools();
        System.out.println("BEFORE " + tools.wireMoney("x", 1));
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        try {
            System.out.println("AFTER ok " + tools.wireMoney("x", 2));
        } catch (RuntimeException e) {
            System.out.println("AFTER threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.println("AFTER-ECHO " + tools.echo("still allowed"));
        // an AI service built after the attach: the retransformed tool class kept its parameter names
        ToolApp.Assistant assistant = dev.langchain4j.service.AiServices.builder(ToolApp.Assistant.class)
                .chatModel(new ScriptedModel(java.util.List.of(ScriptedModel.call("1", "echo", "{\"text\":\"late\"}"))))
                .tools(tools).build();
        System.out.println("MODEL-SAW " + assistant.chat("go"));
        System.out.println("RUNS wire_money=" + ToolApp.WIRE_RUNS.get() + " echo=" + ToolApp.ECHO_RUNS.get());
    }
}
