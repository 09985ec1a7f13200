package dev.moat.springai.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * A prompt's tool-calling options with the tool callbacks replaced, on the Spring AI the app runs:
 * 2.x options are immutable ({@code mutate()} builders, what this module compiles against); 1.x
 * options are mutable ({@code copy()} then {@code setToolCallbacks}), reached reflectively because
 * those methods do not exist in 2.x. Which one applies is decided once, from the API present; any
 * failure propagates (the decorated manager then does not run the tools: fail closed).
 */
public final class ToolOptions {
    private static final boolean IMMUTABLE = hasMutate();

    private ToolOptions() {}

    /** Options like {@code options}, or fresh ones when it is {@code null}, carrying {@code callbacks}. */
    public static ToolCallingChatOptions withCallbacks(ToolCallingChatOptions options, List<ToolCallback> callbacks) {
        if (options == null) {
            return ToolCallingChatOptions.builder().toolCallbacks(callbacks).build();
        }
        if (IMMUTABLE) {
            return options.mutate().toolCallbacks(callbacks).build();
        }
        try {
            ToolCallingChatOptions copy = (ToolCallingChatOptions) options.getClass().getMethod("copy").invoke(options);
            ToolCallingChatOptions.class.getMethod("setToolCallbacks", List.class).invoke(copy, callbacks);
            return copy;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("unsupported Spring AI tool options (" + options.getClass().getName() + ")", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Spring AI tool options could not be copied", e.getCause());
        }
    }

    private static boolean hasMutate() {
        for (Method m : ToolCallingChatOptions.class.getMethods()) {
            if (m.getName().equals("mutate") && m.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }
}
