package dev.moat.token;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One grant or denial: a resource pattern and the actions it names. The action {@code *} stands
 * for every action. Actions are lowercase identifiers ({@code [a-z][a-z0-9_.-]*}).
 */
public record Scope(ResourcePattern resource, List<String> actions) {
    public static final String ANY_ACTION = "*";
    private static final Pattern ACTION = Pattern.compile("\\*|[a-z][a-z0-9_.-]{0,63}");
    static final int MAX_ACTIONS = 32;

    public Scope {
        Objects.requireNonNull(resource, "resource");
        if (actions == null || actions.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one action");
        }
        if (actions.size() > MAX_ACTIONS) {
            throw new IllegalArgumentException("a scope has at most " + MAX_ACTIONS + " actions");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String a : actions) {
            if (a == null || !ACTION.matcher(a).matches()) {
                throw new IllegalArgumentException("invalid action: " + Resources.clip(a));
            }
            sorted.add(a);
        }
        actions = List.copyOf(sorted);
    }

    /** Convenience: {@code Scope.of("tool://search", "read", "execute")}. */
    public static Scope of(String resourcePattern, String... actions) {
        return new Scope(ResourcePattern.parse(resourcePattern), List.of(actions));
    }

    /** True when this scope names {@code action} (or every action). Allocation-free. */
    public boolean hasAction(String action) {
        for (int i = 0; i < actions.size(); i++) {
            String a = actions.get(i);
            if (a.equals(action) || a.equals(ANY_ACTION)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code resource} and {@code action} fall inside this scope. */
    public boolean matches(String resource, String action) {
        return hasAction(action) && resource.length() > 0 && this.resource.matches(resource);
    }

    /** True when every (resource, action) pair of {@code narrower} is inside this scope. */
    public boolean covers(Scope narrower) {
        if (!resource.covers(narrower.resource)) {
            return false;
        }
        if (actions.contains(ANY_ACTION)) {
            return true;
        }
        return !narrower.actions.contains(ANY_ACTION) && actions.containsAll(narrower.actions);
    }

    @Override
    public String toString() {
        return resource.text() + " " + actions;
    }
}
