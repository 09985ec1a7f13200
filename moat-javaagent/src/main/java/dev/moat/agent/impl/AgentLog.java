package dev.moat.agent.impl;

/** The agent's own lines on standard error, each prefixed {@code moat: }. */
final class AgentLog {
    private AgentLog() {}

    static void line(String text) {
        System.err.println("moat: " + text);
    }
}
