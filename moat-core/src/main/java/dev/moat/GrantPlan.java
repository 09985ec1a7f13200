package dev.moat;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.policy.PolicyException;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.Scope;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy's grants as a recipe that can be run again: in file order, a trusted root whose key
 * is held issues a root token, any other issuer delegates from the chain it holds (granted earlier
 * in the file, or loaded from a token file), so attenuation is enforced on every run. Every run
 * uses one instant for all links, so a child never outlives its freshly issued parent.
 */
final class GrantPlan {
    /** The least margin before expiry at which a capability is renewed, unless its lifetime is shorter. */
    static final Duration MIN_MARGIN = Duration.ofMinutes(1);

    /** One grant of the policy. {@code renewBefore} may be {@code null} (the default margin). */
    record Step(String issuer, String subject, List<Scope> allow, List<Scope> deny, ResourceLimits limits,
                Duration validFor, Duration renewBefore) {
        Step {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        Duration margin() {
            return GrantPlan.margin(validFor, renewBefore);
        }
    }

    private final List<Step> steps;
    private final Set<String> roots;
    private final String where;
    private final List<String> labels;

    GrantPlan(List<Step> steps, Set<String> roots, String where) {
        this(steps, roots, where, null);
    }

    /**
     * With {@code labels}: where each step is written ({@code moat.yaml:14:5: grants[1]}), named
     * in the error when that step cannot be issued or delegated; {@code null} for the plain
     * {@code where: grants[i]}.
     */
    GrantPlan(List<Step> steps, Set<String> roots, String where, List<String> labels) {
        this.steps = List.copyOf(steps);
        this.roots = Set.copyOf(roots);
        this.where = where;
        this.labels = labels == null ? null : List.copyOf(labels);
        if (this.labels != null && this.labels.size() != this.steps.size()) {
            throw new IllegalArgumentException("one label per step");
        }
    }

    private String label(int i) {
        Step s = steps.get(i);
        return (labels != null ? labels.get(i) : where + ": grants[" + i + "]") + " (" + s.issuer() + " -> " + s.subject() + ")";
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    List<Step> steps() {
        return steps;
    }

    /**
     * Default margin: {@code renewBefore} when given, else a tenth of the lifetime but at least a
     * minute; never more than half the lifetime (a capability is used before it is renewed).
     */
    static Duration margin(Duration validFor, Duration renewBefore) {
        Duration m = renewBefore != null ? renewBefore : max(validFor.dividedBy(10), MIN_MARGIN);
        Duration half = validFor.dividedBy(2);
        return m.compareTo(half) > 0 ? half : m;
    }

    /**
     * Issues and delegates every grant at {@code now}; {@code held} are chains the agents already
     * hold from elsewhere (token files of an offline root), used as parents.
     *
     * @throws PolicyException when an issuer is neither a trusted root nor holding a capability
     * @throws dev.moat.token.AttenuationException when a grant is broader than its issuer's capability
     */
    Map<String, TokenChain> derive(Map<String, AgentKeypair> keys, Map<String, AgentId> ids,
                                   Map<String, TokenChain> held, Instant now) {
        Map<String, TokenChain> chains = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            AgentKeypair issuer = keys.get(s.issuer());
            TokenChain parent = chains.containsKey(s.issuer()) ? chains.get(s.issuer()) : held.get(s.issuer());
            Instant expiry = now.plus(s.validFor());
            if (parent != null && held.get(s.issuer()) == parent) {
                Instant parentExpiry = parent.leafClaims().orThrow().expiresAt();
                expiry = expiry.isAfter(parentExpiry) ? parentExpiry : expiry; // it cannot outlive a token file
            }
            Grant.Builder gb = Grant.to(ids.get(s.subject())).issuedAt(now).expiresAt(expiry);
            s.allow().forEach(gb::allow);
            s.deny().forEach(gb::deny);
            gb.limits(s.limits());
            TokenChain chain;
            if (parent != null) {
                try {
                    chain = parent.delegate(issuer, gb.build());
                } catch (dev.moat.token.AttenuationException e) {
                    throw new dev.moat.token.AttenuationException(label(i)
                            + ": the delegation is broader than the capability '" + s.issuer() + "' holds", e);
                }
            } else if (roots.contains(s.issuer())) {
                chain = TokenChain.issue(issuer, gb.build());
            } else {
                throw new PolicyException(label(i) + ": the issuer '" + s.issuer()
                        + "' is neither a trusted root nor granted a capability earlier in the file");
            }
            chains.put(s.subject(), chain);
        }
        return chains;
    }

    /**
     * When the first of {@code chains} (derived by this plan) is due for renewal. A delegation cut
     * short by a token file's expiry is renewed when a renewed file is taken up, not before.
     */
    Instant dueAt(Map<String, TokenChain> chains, Map<String, TokenChain> held) {
        Instant due = Instant.MAX;
        for (Step s : steps) {
            TokenChain c = chains.get(s.subject());
            if (c == null) {
                continue;
            }
            Instant expiry = c.leafClaims().orThrow().expiresAt();
            TokenChain fileParent = held.get(s.issuer());
            if (!chains.containsKey(s.issuer()) && fileParent != null
                    && !expiry.isBefore(fileParent.leafClaims().orThrow().expiresAt())) {
                continue;
            }
            Instant at = expiry.minus(s.margin());
            if (at.isBefore(due)) {
                due = at;
            }
        }
        return due;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
