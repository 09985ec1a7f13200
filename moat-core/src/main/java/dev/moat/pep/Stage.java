package dev.moat.pep;

/** Where a decision was made, in the order a call meets them. Each has a stable wire name. */
public enum Stage {
    /** Cheap pre-crypto checks: sizes, time window, recipient. */
    ROUTER("router"),
    /** PEP stage 1: signature, sender, revocation, replay, then rate limit on the verified sender. */
    AUTHENTICATION("authentication"),
    /** PEP stage 2: the message is bound to the active policy. */
    POLICY("policy"),
    /** PEP stage 3: chain walk to a trusted root, then the action on the leaf. */
    CAPABILITY("capability"),
    /** Guard checks after the PEP: argument constraints, human approval. */
    GUARD("guard"),
    /** The runtime monitor. */
    MONITOR("monitor"),
    /** Running the tool: sandbox limits. */
    EXECUTION("execution");

    private final String code;

    Stage(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
