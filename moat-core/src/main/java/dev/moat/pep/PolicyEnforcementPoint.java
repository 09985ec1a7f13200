package dev.moat.pep;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageHeader;
import dev.moat.message.MessageLimits;
import dev.moat.message.MessageVerifier;
import dev.moat.policy.PolicyBinding;
import dev.moat.relay.AgentRegistry;
import dev.moat.audit.AuditException;
import dev.moat.relay.RateLimitException;
import dev.moat.relay.RateLimiter;
import dev.moat.relay.RouterLimits;
import dev.moat.relay.SenderRateLimiter;
import dev.moat.replay.SequenceStore;
import dev.moat.replay.SequenceStoreException;
import dev.moat.token.TokenLimits;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The policy enforcement point. Every message meets, in order: the router (body size, time window
 * past and future, recipient known), stage 1 (signature and digests, sender registered and not
 * revoked, sequence number never accepted and inside the replay window, a new highest made durable, then the rate limit on the verified
 * sender), stage 2 (policy binding) and stage 3 (chain walk to a trusted root with every
 * attenuation rule, proof of possession: the sender is the verified leaf's subject, then the
 * action on the leaf). The first failure is the decision. Any
 * exception anywhere is a denial with {@link ReasonCode#INTERNAL}. Every decision goes to the
 * {@link DecisionListener} before it is returned; if that fails, the call is denied. Thread-safe.
 */
public final class PolicyEnforcementPoint {
    private final AgentRegistry registry;
    private final SequenceStore sequences;
    private final dev.moat.replay.ReplayWindow replay;
    private final RouterLimits routerLimits;
    private final SenderRateLimiter rateLimiter;
    private final MessageVerifier messageVerifier;
    private final ChainCache chains;
    private final Clock clock;
    private final DecisionListener listener;
    private final String audience;
    private final ShadowMode shadow;
    private volatile PolicyBinding activePolicy;

    private PolicyEnforcementPoint(Builder b) {
        this.registry = b.registry;
        this.sequences = b.sequences;
        this.replay = b.sequences.exclusiveToThisProcess() ? new dev.moat.replay.ReplayWindow(b.sequences) : null;
        this.routerLimits = b.routerLimits;
        this.audience = b.audience;
        this.clock = b.clock;
        this.listener = b.listener;
        this.shadow = b.shadow;
        this.activePolicy = b.policy;
        this.rateLimiter = b.rateLimiter != null ? b.rateLimiter
                : new RateLimiter(routerLimits.rateLimit(), routerLimits.rateWindow(), clock);
        this.messageVerifier = new MessageVerifier(limitsForWire(), false); // proof of possession: stage 3
        TokenVerifier verifier = TokenVerifier.builder()
                .trustRoots(registry::isTrustedRoot)
                .revocation(registry)
                .clock(clock)
                .maxDepth(b.maxDepth)
                .build();
        this.chains = new ChainCache(verifier, registry, b.chainCacheSize);
    }

    public static Builder builder(AgentRegistry registry, SequenceStore sequences, PolicyBinding policy) {
        return new Builder(registry, sequences, policy);
    }

    /** The policy that messages must be bound to. */
    public PolicyBinding activePolicy() {
        return activePolicy;
    }

    /** Switches the active policy (messages bound to the old one are refused from now on). */
    public void activate(PolicyBinding policy) {
        this.activePolicy = Objects.requireNonNull(policy);
    }

    /** Decides on wire bytes. */
    public Decision evaluate(byte[] wire) {
        Checked<MessageEnvelope> env = MessageEnvelope.parse(wire, limitsForWire());
        if (env instanceof Checked.Failed<MessageEnvelope> f) {
            Decision d = new Decision.Deny(Stage.ROUTER, f.failure());
            return record(null, d);
        }
        return evaluate(env.orThrow());
    }

    /** Decides on an envelope, verifying its signature in full whatever its origin. */
    public Decision evaluate(MessageEnvelope envelope) {
        return evaluate(envelope, null, null);
    }

    /**
     * Decides on an envelope signed for a call made for the end user {@code user} (or {@code null}):
     * the decision is the same; the listener (the audit log) is told the user. Verified in full.
     */
    public Decision evaluate(MessageEnvelope envelope, String user) {
        return evaluate(envelope, null, user);
    }

    /**
     * Decides on an envelope that {@code signer}, held by the caller, may just have made in this
     * process (the in-process fast path of {@link dev.moat.guard.Guard}). Only when
     * {@code envelope.isSignedBy(signer)} (object identity: that very signer object made that very
     * envelope) is the Ed25519 verification of the message skipped; every other stage and check
     * runs, and the decision is recorded as always. Any other envelope is verified in full, so
     * passing a signer never weakens a decision on bytes from elsewhere. spec/PROTOCOL.md 10.5.
     */
    public Decision evaluate(MessageEnvelope envelope, dev.moat.message.MessageSigner signer) {
        return evaluate(envelope, signer, null);
    }

    /** As {@link #evaluate(MessageEnvelope, dev.moat.message.MessageSigner)}, for a call made for the end user {@code user} (or {@code null}). */
    public Decision evaluate(MessageEnvelope envelope, dev.moat.message.MessageSigner signer, String user) {
        Decision d;
        Stage[] reached = {Stage.ROUTER};
        try {
            d = decide(envelope, signer, reached);
        } catch (RuntimeException e) { // fail closed, at the stage that broke
            d = Decision.Deny.of(reached[0], ReasonCode.INTERNAL, "enforcement failed: " + e.getClass().getSimpleName()
                    + (e instanceof SequenceStoreException || e instanceof RateLimitException ? ": " + e.getMessage() : ""));
        }
        return record(envelope, d, user);
    }

    private Decision record(MessageEnvelope envelope, Decision d) {
        return record(envelope, d, null);
    }

    private Decision record(MessageEnvelope envelope, Decision d, String user) {
        try {
            listener.onDecision(envelope, d, user);
            return d;
        } catch (Exception e) {
            Decision denied = Decision.Deny.of(d instanceof Decision.Deny deny ? deny.stage() : Stage.CAPABILITY,
                    ReasonCode.INTERNAL, "decision could not be recorded: " + e.getClass().getSimpleName()
                    + (e instanceof AuditException ? ": " + e.getMessage() : ""));
            try {
                listener.onDecision(envelope, denied, user);
            } catch (Exception ignored) {
                // the recorder is down; the denial stands regardless
            }
            return denied;
        }
    }

    private MessageLimits limitsForWire() {
        return new MessageLimits(routerLimits.maxBodyBytes(),
                Math.max(MessageLimits.DEFAULT.maxEnvelopeBytes(), routerLimits.maxBodyBytes() * 2), TokenLimits.DEFAULT);
    }

    private Decision decide(MessageEnvelope envelope, dev.moat.message.MessageSigner signer, Stage[] reached) {
        if (envelope == null) {
            return Decision.Deny.of(Stage.ROUTER, ReasonCode.MALFORMED, "no message");
        }
        // Router: cheap checks before any signature work. They may only reject.
        Checked<MessageHeader> peeked = envelope.peekHeader();
        if (peeked instanceof Checked.Failed<MessageHeader> f) {
            return new Decision.Deny(Stage.ROUTER, f.failure());
        }
        MessageHeader h = peeked.orThrow();
        Decision.Deny routed = route(envelope, h);
        if (routed != null) {
            return routed;
        }
        // Stage 1: authentication and replay.
        reached[0] = Stage.AUTHENTICATION;
        Checked<AuthenticatedMessage> verified = messageVerifier.verify(envelope, signer);
        if (verified instanceof Checked.Failed<AuthenticatedMessage> f) {
            return new Decision.Deny(Stage.AUTHENTICATION, f.failure());
        }
        AuthenticatedMessage msg = verified.orThrow();
        if (!registry.isKnown(msg.sender())) {
            return Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.UNKNOWN_SENDER, "sender " + msg.sender() + " is not registered");
        }
        String revocationsDown = registry.unavailable();
        if (revocationsDown != null) { // every chain would fail as revoked: say why instead
            return Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.INTERNAL, "revocations unavailable, failing closed: " + revocationsDown);
        }
        if (registry.isAgentRevoked(msg.sender())) {
            return Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.REVOKED, "sender " + msg.sender() + " is revoked");
        }
        if (replay != null ? !replay.accept(msg.sender(), msg.sequence()) : !sequences.advance(msg.sender(), msg.sequence())) {
            return Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.REPLAY, "sequence " + msg.sequence()
                    + (replay != null ? " was accepted before or is older than the replay window (highest accepted " + replay.high(msg.sender())
                    : " is not above the last accepted " + sequences.last(msg.sender())) + ")");
        }
        if (!rateLimiter.tryAcquire(msg.sender())) {
            return Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.RATE_LIMITED, rateLimited(msg));
        }
        // Stage 2: policy binding.
        reached[0] = Stage.POLICY;
        PolicyBinding active = activePolicy;
        if (!active.matches(msg.policy())) {
            return Decision.Deny.of(Stage.POLICY, ReasonCode.POLICY_MISMATCH,
                    "message is bound to policy " + msg.policy() + ", active is " + active);
        }
        // Stage 3: capability.
        reached[0] = Stage.CAPABILITY;
        Checked<VerifiedCapability> cap = chains.verify(msg.chain());
        if (cap instanceof Checked.Failed<VerifiedCapability> f) {
            return new Decision.Deny(Stage.CAPABILITY, f.failure());
        }
        VerifiedCapability capability = cap.orThrow();
        if (!capability.subject().equals(msg.sender())) {
            return Decision.Deny.of(Stage.CAPABILITY, ReasonCode.NOT_SUBJECT, "sender is not the capability's subject");
        }
        ReasonCode refused = capability.evaluate(msg.resource(), msg.action());
        if (refused != null) {
            Decision.Deny deny = Decision.Deny.of(Stage.CAPABILITY, refused, switch (refused) {
                case EXPLICITLY_DENIED -> msg.action() + " on " + msg.resource() + " is explicitly denied";
                case INVALID_RESOURCE -> "resource is not in normal form";
                default -> "scope " + msg.resource() + " [" + msg.action() + "] not granted";
            });
            // audit-only mode: an authenticated sender's scope denial is recorded, the call runs
            return shadow.shadows(deny, msg.sender(), msg.resource()) ? new Decision.Allow(msg, capability, deny) : deny;
        }
        return new Decision.Allow(msg, capability);
    }

    /**
     * True when this PEP accepts a sender's numbers slightly out of order (a replay window over a
     * store exclusive to this process); false when they must arrive in order (a shared store), so
     * a signer in this process must sign and submit one call at a time.
     */
    public boolean acceptsOutOfOrder() {
        return replay != null;
    }

    /** Which authorization denials are only audited ({@link ShadowMode#ENFORCE} unless configured). */
    public ShadowMode shadow() {
        return shadow;
    }

    /**
     * The last sequence number the replay store accepted from {@code sender} (-1 if none): where a
     * signer made in this process for that sender must start (spec/PROTOCOL.md 10.1).
     */
    public long lastAccepted(dev.moat.identity.AgentId sender) {
        return sequences.last(sender);
    }

    /** This PEP's own identity: the {@code aud} every message it accepts must carry. */
    public String audience() {
        return audience;
    }

    private Decision.Deny route(MessageEnvelope envelope, MessageHeader h) {
        Instant now = clock.instant();
        if (h.timestamp().isBefore(now.minus(routerLimits.maxAge()))) {
            return Decision.Deny.of(Stage.ROUTER, ReasonCode.STALE, "message is older than " + routerLimits.maxAge());
        }
        if (h.timestamp().isAfter(now.plus(routerLimits.maxFutureSkew()))) {
            return Decision.Deny.of(Stage.ROUTER, ReasonCode.STALE, "message is timestamped more than "
                    + routerLimits.maxFutureSkew() + " in the future");
        }
        if (!registry.isKnownRecipient(h.recipient())) {
            return Decision.Deny.of(Stage.ROUTER, ReasonCode.UNKNOWN_RECIPIENT, "recipient " + h.recipient() + " is unknown");
        }
        if (!audience.equals(h.audience())) {
            return Decision.Deny.of(Stage.ROUTER, ReasonCode.WRONG_AUDIENCE, "message is for the enforcement point "
                    + h.audience() + ", this is " + audience);
        }
        return null;
    }

    /** Builder. */
    public static final class Builder {
        private final AgentRegistry registry;
        private final SequenceStore sequences;
        private final PolicyBinding policy;
        private RouterLimits routerLimits = RouterLimits.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private DecisionListener listener = DecisionListener.NONE;
        private int chainCacheSize = 1024;
        private int maxDepth = dev.moat.token.Attenuation.DEFAULT_MAX_DEPTH;
        private SenderRateLimiter rateLimiter;
        private String audience;
        private ShadowMode shadow = ShadowMode.ENFORCE;

        private Builder(AgentRegistry registry, SequenceStore sequences, PolicyBinding policy) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.sequences = Objects.requireNonNull(sequences, "sequences");
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        public Builder routerLimits(RouterLimits limits) {
            this.routerLimits = Objects.requireNonNull(limits);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The rate limit for verified senders (default: an in-process {@link RateLimiter} from the router limits). */
        public Builder rateLimiter(SenderRateLimiter limiter) {
            this.rateLimiter = Objects.requireNonNull(limiter);
            return this;
        }

        public Builder listener(DecisionListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Audit-only mode: which authorization denials are audited as would-deny while the call runs. */
        public Builder shadow(ShadowMode shadow) {
            this.shadow = Objects.requireNonNull(shadow, "shadow");
            return this;
        }

        /** Verified chains kept (0 disables the cache). */
        public Builder chainCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("chainCacheSize must not be negative");
            }
            this.chainCacheSize = size;
            return this;
        }

        public Builder maxDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        /**
         * This PEP's own identity (required): only messages whose signed {@code aud} names it are
         * accepted, so an envelope made for one instance is refused by another sharing the policy.
         * Same grammar as a recipient.
         */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        public PolicyEnforcementPoint build() {
            if (audience == null) {
                throw new IllegalStateException("a PolicyEnforcementPoint needs its audience (its own identity)");
            }
            return new PolicyEnforcementPoint(this);
        }
    }

    /**
     * Which limit was hit and how to raise it: the per-agent rate limit (default 100 messages per
     * second, {@link RouterLimits#DEFAULT}), set by the policy file's {@code router.rate_limit} and
     * {@code router.rate_window} or {@code Moat.Builder.routerLimits}.
     */
    private String rateLimited(AuthenticatedMessage msg) {
        return "sender " + msg.sender() + " exceeded the per-agent rate limit of " + routerLimits.rateLimit()
                + " messages per " + routerLimits.rateWindow().toMillis() + " ms"
                + (routerLimits.rateLimit() == RouterLimits.DEFAULT.rateLimit()
                        && routerLimits.rateWindow().equals(RouterLimits.DEFAULT.rateWindow()) ? " (the default)" : "")
                + "; raise router.rate_limit or router.rate_window in the policy file (Moat.Builder.routerLimits in code)";
    }
}
