package dev.moat.agent.bootstrap;

/**
 * What the bridge hands calls to: the guard side of the agent, living in the isolated agent class
 * loader. Only JDK types cross this boundary. Implementations never let a tool body run after an
 * internal error in enforce mode.
 */
public interface Dispatcher {

    /**
     * A LangChain4j tool execution is about to run. Returns a {@link Denial} (the body is skipped and
     * its result returned instead) or a scope object handed back to {@link #exitToolService}.
     */
    Object enterToolService(Object request, Object executor, Object context);

    /** The tool execution returned {@code result} or threw {@code thrown}; returns the result to return. */
    Object exitToolService(Object scope, Object result, Throwable thrown);

    /**
     * A guarded method ({@code target} is {@code type.method(descriptor)}) is about to run with
     * {@code args}. Returns a scope (possibly {@code null}) for {@link #exitMethod}, or throws the
     * denial; a throw skips the method.
     */
    Object enterMethod(String target, Object[] args);

    /** The guarded method returned {@code result} or threw {@code thrown}. */
    void exitMethod(Object scope, Object result, Throwable thrown);

    /**
     * A Spring AI {@code ToolCallback.call(input[, context])} is about to run. Returns a scope
     * (possibly {@code null}) for {@link #exitToolCallback}, or throws the denial (Spring AI's
     * {@code ToolExecutionException}); a throw skips the callback.
     */
    Object enterToolCallback(Object callback, String input);

    /** The callback returned {@code result} or threw {@code thrown}. */
    void exitToolCallback(Object scope, Object result, Throwable thrown);
}
