package dev.moat.token;

/**
 * The monotonic-attenuation rules, applied when a child is made and again by the verifier at every
 * link. A child may only narrow its parent: each allowed scope covered by a parent scope (resource
 * and actions), every parent denial kept, every limit equal or tighter, issued no earlier and
 * expiring no later than the parent.
 */
public final class Attenuation {
    /** Default cap on delegation depth (a root is depth 0). */
    public static final int DEFAULT_MAX_DEPTH = 8;

    private Attenuation() {}

    /**
     * The first rule {@code child} breaks against {@code parent}, or {@code null}. Rules:
     * {@code scope}, {@code actions}, {@code denials}, {@code limit.*}, {@code expiry},
     * {@code issued_at}.
     */
    public static String violation(CapabilityToken parent, CapabilityToken child) {
        for (Scope c : child.allowed()) {
            boolean covered = false;
            boolean resourceCovered = false;
            for (Scope p : parent.allowed()) {
                if (p.covers(c)) {
                    covered = true;
                    break;
                }
                resourceCovered |= p.resource().covers(c.resource());
            }
            if (!covered) {
                return resourceCovered ? "actions" : "scope";
            }
        }
        for (Scope d : parent.denied()) {
            if (!child.denied().contains(d)) {
                return "denials";
            }
        }
        String limit = child.limits().violationAgainst(parent.limits());
        if (limit != null) {
            return limit;
        }
        if (child.expiresAt().isAfter(parent.expiresAt())) {
            return "expiry";
        }
        if (child.issuedAt().isBefore(parent.issuedAt())) {
            return "issued_at";
        }
        return null;
    }

    /**
     * The first rule a renewed token {@code next} breaks as a replacement for {@code current}, or
     * {@code null}: it must grant nothing more (the scope, action, denial and limit rules above,
     * with {@code current} as the parent) and expire later ({@code not_newer}).
     */
    public static String renewalViolation(CapabilityToken current, CapabilityToken next) {
        String rule = violation(current, next); // expiry and issued_at are checked last
        if (rule != null && !rule.equals("expiry") && !rule.equals("issued_at")) {
            return rule;
        }
        if (!next.expiresAt().isAfter(current.expiresAt())) {
            return "not_newer";
        }
        return null;
    }

    /** A one-line explanation of a rule name. */
    public static String describe(String rule) {
        return switch (rule) {
            case "scope" -> "a granted resource is not covered by the parent's scopes";
            case "actions" -> "a granted action is not allowed by the parent on that resource";
            case "denials" -> "a parent denial was dropped";
            case "expiry" -> "the child expires after its parent";
            case "not_newer" -> "the renewed token does not expire later than the one in use";
            case "issued_at" -> "the child is issued before its parent";
            case "limit.fuel" -> "fuel limit is looser than the parent's";
            case "limit.memory" -> "memory limit is looser than the parent's";
            case "limit.wall_time" -> "wall-time limit is looser than the parent's";
            case "limit.network" -> "network egress is allowed but the parent forbids it";
            case "limit.hosts" -> "an egress host is not allowed by the parent";
            case "limit.fs_read" -> "a read path is outside the parent's read paths";
            case "limit.fs_write" -> "a write path is outside the parent's write paths";
            default -> rule;
        };
    }
}
