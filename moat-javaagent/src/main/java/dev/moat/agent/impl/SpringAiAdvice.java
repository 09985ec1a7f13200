package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code call(String)} and {@code call(String, ToolContext)} of every Spring AI
 * {@code ToolCallback} implementation (method, function and lambda callbacks, MCP callbacks, the
 * application's own): hands the callback and its JSON input to the bridge, which throws the denial
 * (skipping the body) or returns a scope whose outcome is recorded on exit. Nothing is suppressed.
 */
final class SpringAiAdvice {
    private SpringAiAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object callback, @Advice.Argument(0) String input) {
        return MoatBridge.enterToolCallback(callback, input);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object scope, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        MoatBridge.exitToolCallback(scope, result, thrown);
    }
}
