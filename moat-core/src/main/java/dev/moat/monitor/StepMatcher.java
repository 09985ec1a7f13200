package dev.moat.monitor;

import dev.moat.token.ResourcePattern;

/**
 * Matches one call by kind, resource pattern (a {@link ResourcePattern}: {@code *} one segment,
 * {@code **} any tail, as in capability scopes), action, tag and minimum sensitivity; a
 * {@code null} (or 0 for sensitivity) component matches anything. Used as the steps of a
 * {@link SequenceRule} and as the filter of a {@link RateRule}.
 */
public record StepMatcher(CallKind kind, ResourcePattern resource, String action, String tag, int minSensitivity) {

    private static final StepMatcher ANY = new StepMatcher(null, null, null, null, 0);

    public StepMatcher {
        if (minSensitivity < 0 || minSensitivity > ObservedCall.MAX_SENSITIVITY) {
            throw new IllegalArgumentException("minSensitivity must be between 0 and " + ObservedCall.MAX_SENSITIVITY);
        }
    }

    /** Matches every call. */
    public static StepMatcher any() {
        return ANY;
    }

    public static StepMatcher kind(CallKind kind) {
        return new StepMatcher(kind, null, null, null, 0);
    }

    public static StepMatcher resource(String pattern) {
        return new StepMatcher(null, ResourcePattern.parse(pattern), null, null, 0);
    }

    public StepMatcher withKind(CallKind k) {
        return new StepMatcher(k, resource, action, tag, minSensitivity);
    }

    public StepMatcher withResource(String pattern) {
        return new StepMatcher(kind, ResourcePattern.parse(pattern), action, tag, minSensitivity);
    }

    public StepMatcher withAction(String a) {
        return new StepMatcher(kind, resource, a, tag, minSensitivity);
    }

    public StepMatcher withTag(String t) {
        return new StepMatcher(kind, resource, action, t, minSensitivity);
    }

    public StepMatcher withMinSensitivity(int s) {
        return new StepMatcher(kind, resource, action, tag, s);
    }

    public boolean matches(ObservedCall call) {
        return (kind == null || kind.equals(call.kind()))
                && (action == null || action.equals(call.action()))
                && call.sensitivity() >= minSensitivity
                && (tag == null || call.tags().contains(tag))
                && (resource == null || resource.matches(call.resource()));
    }

    @Override
    public String toString() {
        return "step(" + (kind == null ? "*" : kind) + " " + (resource == null ? "**" : resource) + " "
                + (action == null ? "*" : action) + (tag == null ? "" : " #" + tag)
                + (minSensitivity == 0 ? "" : " >=" + minSensitivity) + ")";
    }
}
