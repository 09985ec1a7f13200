package dev.moat.agent.impl;

import dev.moat.guard.MoatDeniedException;
import dev.moat.pep.Decision;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Spring AI's tool types, reached by name through the application's own class loader (the agent
 * does not link Spring AI): a callback's tool name ({@code getToolDefinition().name()}), the class
 * declaring a {@code MethodToolCallback}'s method (for the per-class agent identity), and the
 * {@code ToolExecutionException} a denial is thrown as. Accessors are resolved once per class.
 */
final class SpringAiAccess {
    static final String TOOL_CALLBACK = "org.springframework.ai.tool.ToolCallback";
    static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    static final String TOOL_ANNOTATION = "org.springframework.ai.tool.annotation.Tool";
    private static final String METHOD_TOOL_CALLBACK = "org.springframework.ai.tool.method.MethodToolCallback";
    private static final String TOOL_DEFINITION = "org.springframework.ai.tool.definition.ToolDefinition";
    private static final String TOOL_EXECUTION_EXCEPTION = "org.springframework.ai.tool.execution.ToolExecutionException";

    private record CallbackAccess(Method definition, Method name, Field toolMethod, Constructor<?> denial) {}

    private static final ClassValue<CallbackAccess> CALLBACKS = new ClassValue<>() {
        @Override
        protected CallbackAccess computeValue(Class<?> type) {
            try {
                ClassLoader loader = type.getClassLoader();
                Class<?> callback = Class.forName(TOOL_CALLBACK, false, loader);
                Class<?> definition = Class.forName(TOOL_DEFINITION, false, loader);
                Class<?> exception = Class.forName(TOOL_EXECUTION_EXCEPTION, false, loader);
                return new CallbackAccess(callback.getMethod("getToolDefinition"), definition.getMethod("name"),
                        toolMethodField(type), exception.getConstructor(definition, Throwable.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unsupported Spring AI ToolCallback: " + type.getName(), e);
            }
        }
    };

    private SpringAiAccess() {}

    /** The tool's name, as the model calls it. */
    static String name(Object callback) throws ReflectiveOperationException {
        CallbackAccess a = CALLBACKS.get(callback.getClass());
        Object name = a.name().invoke(a.definition().invoke(callback));
        if (!(name instanceof String s) || s.isEmpty()) {
            throw new IllegalStateException("ToolCallback " + callback.getClass().getName() + " has no tool name");
        }
        return s;
    }

    /**
     * The class the agent identity is chosen by: a {@code MethodToolCallback}'s tool class (so the
     * callback and a direct call of the same {@code @Tool} method run as the same agent), else the
     * callback's own class.
     */
    static String identityClass(Object callback) {
        Field f = CALLBACKS.get(callback.getClass()).toolMethod();
        if (f != null) {
            try {
                if (f.get(callback) instanceof Method m) {
                    return m.getDeclaringClass().getName();
                }
            } catch (IllegalAccessException | RuntimeException e) {
                // fall back to the callback's class
            }
        }
        return callback.getClass().getName();
    }

    /**
     * The denial as Spring AI's {@code ToolExecutionException} (cause: {@link MoatDeniedException},
     * message: the explanation). Spring AI's tool-calling manager hands it to the application's
     * {@code ToolExecutionExceptionProcessor}: the default one returns the message to the model as
     * the tool result, one configured to rethrow stops the chat. A direct caller gets an exception,
     * never a string it could take for the tool's output.
     */
    static RuntimeException denial(Object callback, Decision.Deny deny) {
        MoatDeniedException cause = new MoatDeniedException(deny);
        try {
            CallbackAccess a = CALLBACKS.get(callback.getClass());
            return (RuntimeException) a.denial().newInstance(a.definition().invoke(callback), cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return cause; // still skips the callback
        }
    }

    private static Field toolMethodField(Class<?> type) {
        if (!type.getName().equals(METHOD_TOOL_CALLBACK)) {
            return null;
        }
        try {
            Field f = type.getDeclaredField("toolMethod");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a different Spring AI layout or a named module: the callback's class decides
        }
    }
}
