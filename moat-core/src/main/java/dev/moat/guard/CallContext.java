package dev.moat.guard;

import java.util.Map;
import java.util.Objects;

/**
 * Who a tool call is made for, beyond the agent that signs it: the end user of the conversation
 * (which selects per-user capabilities, {@code tool://inbox/{user}/**}), a conversation id, and
 * free-form attributes an adapter wants audited. Every part is optional; {@link #NONE} has none.
 * Not yet written to the audit log: the decision entry comes from the PEP's listener, which sees
 * only the signed message; recording the user needs a bounded field in the audit decision entry.
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
