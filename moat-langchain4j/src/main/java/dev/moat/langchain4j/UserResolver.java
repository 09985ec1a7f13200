package dev.moat.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import java.util.UUID;

/**
 * Finds the end user a tool call acts for, from LangChain4j's invocation context; the user goes
 * into the call's {@link dev.moat.guard.CallContext#user()}, which selects the per-user capability
 * when the agent's calls are per user ({@code moat.capabilities().scopeUsers(...)}). Returning
 * {@code null} means "no user" (a per-user agent then denies the call); throwing denies it too.
 * Whatever is returned is checked by core before it fills a template: one plain segment or denied.
 */
@FunctionalInterface
public interface UserResolver {
    /** No user: calls carry no user (the default). */
    UserResolver NONE = context -> null;

    String user(InvocationContext context);

    /**
     * The chat memory id ({@code @MemoryId} of the AI service method), when it is a string, a
     * number or a UUID; anything else is no user (an object's {@code toString} is not an identity).
     */
    static UserResolver memoryId() {
        return context -> {
            Object id = context == null ? null : context.chatMemoryId();
            return id instanceof String || id instanceof Number || id instanceof UUID ? String.valueOf(id) : null;
        };
    }

    /** The string the application put under {@code key} in the call's {@code InvocationParameters}. */
    static UserResolver invocationParameter(String key) {
        return context -> {
            if (context == null || context.invocationParameters() == null) {
                return null;
            }
            Object v = context.invocationParameters().asMap().get(key);
            return v instanceof String s ? s : null;
        };
    }
}
