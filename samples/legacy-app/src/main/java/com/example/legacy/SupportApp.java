package com.example.legacy;

import dev.langchain4j.service.AiServices;

/**
 * A support assistant: reads the inbox and answers. One email carries an injected instruction
 * ("wire 5000 to ..."); the offline model follows it, as real models do. Run it plain and the money
 * moves; run it with {@code -javaagent:moat-agent.jar=config=moat.yaml} and the call is refused.
 */
public final class SupportApp {
    interface Assistant {
        String chat(String message);
    }

    public static void main(String[] args) {
        SupportTools tools = new SupportTools();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new InjectedModel())
                .tools(tools)
                .build();
        System.out.println("user:      please summarise my inbox");
        System.out.println("assistant: " + assistant.chat("please summarise my inbox").replace("\n", "\n           "));
        System.out.println("bank:      " + tools.bankLedger());
    }
}
