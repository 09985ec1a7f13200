package dev.moat.springai.internal;

import dev.moat.MoatException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.springframework.ai.tool.method.MethodToolCallback;

/**
 * The Java method behind a Spring AI {@link MethodToolCallback}, so that Moat's annotations on it
 * apply however the tool was registered ({@code .tools(obj)}, {@code defaultTools}, a
 * {@code MethodToolCallbackProvider}). Spring AI exposes no accessor; the field has the same name
 * in 1.1 and 2.0. If it cannot be read, guarding the tool fails loudly rather than running it
 * without its rules.
 */
public final class MethodTools {
    private static final Field TOOL_METHOD = field();

    private MethodTools() {}

    public static Method method(MethodToolCallback callback) {
        if (TOOL_METHOD == null) {
            throw new MoatException("cannot read the method of Spring AI's MethodToolCallback (this Spring AI version"
                    + " is not supported): tool '" + callback.getToolDefinition().name() + "' is not run unguarded");
        }
        try {
            return (Method) TOOL_METHOD.get(callback);
        } catch (IllegalAccessException e) {
            throw new MoatException("cannot read the method of tool '" + callback.getToolDefinition().name() + "'");
        }
    }

    private static Field field() {
        try {
            Field f = MethodToolCallback.class.getDeclaredField("toolMethod");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
