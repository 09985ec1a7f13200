package dev.moat.guard;

import java.util.Map;
import java.util.Objects;

/**
 * Who a tool call is made for, beyond the agent that signs it: the end user of the conversation
 * (which selects per-user capabilities, {@code tool://inbox/{user}/**}), a conversation id, and
 * free-form attributes an adapter wants audited. Every part is optional; {@link #NONE} has none.
 * For an agent whose calls are per user ({@code Moat.capabilities().scopeUsers}), the user selects
 * the capability the call is signed with, and is audited when that capability is made. Every
 * decision entry the call makes carries the user ({@code user}, escaped and at most 256
 * characters, see {@link dev.moat.audit.AuditEvent.Decision#user(String)}); it is the caller's
 * statement, not signed into the message.
 *
 * @param user         the end user the call acts for, or {@code null}
 * @param conversation the conversation or session id, or {@code null}
 * @param attributes   extra adapter facts (framework, tool source); copied, never {@code null}
 */
public record CallContext(String user, String conversation, Map<String, String> attributes) {
    public static final CallContext NONE = new CallContext(null, null, Map.of());

    public CallContext {
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /** A context that names only the end user. */
    public static CallContext user(String user) {
        return new CallContext(Objects.requireNonNull(user, "user"), null, Map.of());
    }
}
