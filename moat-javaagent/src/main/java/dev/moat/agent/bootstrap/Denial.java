package dev.moat.agent.bootstrap;

/** Returned by the bridge's ToolService entry to skip a tool body: {@link #result} is returned in its place. */
public final class Denial {
    public final Object result;

    public Denial(Object result) {
        this.result = result;
    }
}
