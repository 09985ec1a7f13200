package dev.moat.guard;

/** The tool's own code, run by {@link Guard#call} only after an allow decision. */
@FunctionalInterface
public interface ToolBody<T> {
    T run() throws Exception;
}
