package dev.moat.agent.bootstrap;

/** Returned by enter advice to skip a tool body: {@link #result} is returned in its place. */
public final class Denial {
    public final Object result;

    public Denial(Object result) {
        this.result = result;
    }
}
