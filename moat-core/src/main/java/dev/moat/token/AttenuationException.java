package dev.moat.token;

import dev.moat.MoatException;

/** A delegation was refused because it would broaden its parent; {@link #rule()} says how. */
public final class AttenuationException extends MoatException {
    private static final long serialVersionUID = 1L;
    private final String rule;

    public AttenuationException(String rule, String message) {
        super("attenuation rule '" + rule + "' violated: " + message);
        this.rule = rule;
    }

    /**
     * {@code cause} placed at {@code where} (a policy file's grant, {@code moat.yaml:14:5: grants[1]}),
     * with the same rule.
     */
    public AttenuationException(String where, AttenuationException cause) {
        super(where + ": " + cause.getMessage(), cause);
        this.rule = cause.rule();
    }

    /** The rule: scope, actions, denials, limit.*, expiry, issued_at, issuer, depth. */
    public String rule() {
        return rule;
    }
}
