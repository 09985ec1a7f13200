package dev.moat.springai;

import org.springframework.ai.chat.model.ToolContext;

/**
 * Finds the end user a tool call acts for, from Spring AI's {@link ToolContext} (what the app put
 * into {@code ChatClient...toolContext(Map)}); the user goes into the call's
 * {@link dev.moat.guard.CallContext#user()}, which selects the per-user capability when the
 * agent's calls are per user ({@link MoatToolCallbacks.Builder#perUser}). Returning {@code null}
 * means "no user" (a per-user agent then denies the call); throwing denies it too. Whatever is
 * returned is checked by core before it fills a template: one plain segment or denied.
 */
@FunctionalInterface
public interface UserResolver {
    /** No user: calls carry no user (the default). */
    UserResolver NONE = context -> null;

    /** The default tool-context key {@link #contextKey()} reads. */
    String DEFAULT_KEY = "moat.user";

    String user(ToolContext context);

    /** The string under {@link #DEFAULT_KEY} in the tool context. */
    static UserResolver contextKey() {
        return contextKey(DEFAULT_KEY);
    }

    /**
     * The string the application put under {@code key} in the tool context; anything that is not
     * a string is no user (an object's {@code toString} is not an identity).
     */
    static UserResolver contextKey(String key) {
        java.util.Objects.requireNonNull(key, "key");
        return context -> {
            if (context == null || context.getContext() == null) {
                return null;
            }
            Object v = context.getContext().get(key);
            return v instanceof String s ? s : null;
        };
    }
}
