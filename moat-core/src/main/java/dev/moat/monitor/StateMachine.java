package dev.moat.monitor;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The per-agent finite-state machine: its states, the initial state, the allowed transitions
 * ({@code from -> to}; staying in a state is a transition too and must be listed) and which state
 * each {@link CallKind} enters. A kind with no mapping enters the state of the same name; a kind
 * that maps to no state is an illegal transition.
 *
 * <p>On an illegal transition the rule fires with {@link #action()}. When the call is blocked (by
 * this or any other rule) the agent stays in its state; otherwise it enters the call's state. With {@link #idleReset()} set, an agent silent for that
 * long is back in the initial state before its next call.
 */
public record StateMachine(
        String ruleId,
        MonitorAction action,
        Set<String> states,
        String initial,
        Map<String, Set<String>> transitions,
        Map<CallKind, String> kindStates,
        Duration idleReset) {

    public static final String IDLE = "Idle";
    public static final String EXECUTING = "Executing";
    public static final String REQUESTING_SECRET = "RequestingSecret";
    public static final String NETWORK_REQUEST = "NetworkRequest";
    public static final String FILE_ACCESS = "FileAccess";
    public static final String TERMINATED = "Terminated";

    public StateMachine {
        RuleIds.id(ruleId);
        Objects.requireNonNull(action, "action");
        states = Set.copyOf(new LinkedHashSet<>(states));
        Objects.requireNonNull(initial, "initial");
        if (!states.contains(initial)) {
            throw new IllegalArgumentException("initial state is not a declared state: " + initial);
        }
        Map<String, Set<String>> t = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : transitions.entrySet()) {
            requireState(states, e.getKey());
            for (String to : e.getValue()) {
                requireState(states, to);
            }
            t.put(e.getKey(), Set.copyOf(e.getValue()));
        }
        transitions = Map.copyOf(t);
        for (String s : kindStates.values()) {
            requireState(states, s);
        }
        kindStates = Map.copyOf(kindStates);
        if (idleReset != null) {
            RuleIds.window(idleReset);
        }
    }

    /**
     * The default machine. Idle may go anywhere; a secret may be used by execution or network but
     * not written to a file; file contents may not go straight to the network (they must pass
     * through execution); Terminated is final.
     */
    public static StateMachine defaults(MonitorAction action) {
        return builder(IDLE)
                .ruleId("fsm")
                .action(action)
                .states(IDLE, EXECUTING, REQUESTING_SECRET, NETWORK_REQUEST, FILE_ACCESS, TERMINATED)
                .allow(IDLE, IDLE, EXECUTING, REQUESTING_SECRET, NETWORK_REQUEST, FILE_ACCESS, TERMINATED)
                .allow(EXECUTING, IDLE, EXECUTING, REQUESTING_SECRET, NETWORK_REQUEST, FILE_ACCESS, TERMINATED)
                .allow(REQUESTING_SECRET, IDLE, EXECUTING, REQUESTING_SECRET, NETWORK_REQUEST, TERMINATED)
                .allow(NETWORK_REQUEST, IDLE, EXECUTING, NETWORK_REQUEST, FILE_ACCESS, TERMINATED)
                .allow(FILE_ACCESS, IDLE, EXECUTING, FILE_ACCESS, TERMINATED)
                .map(CallKind.IDLE, IDLE)
                .map(CallKind.EXECUTE, EXECUTING)
                .map(CallKind.SECRET, REQUESTING_SECRET)
                .map(CallKind.NETWORK, NETWORK_REQUEST)
                .map(CallKind.FILE, FILE_ACCESS)
                .map(CallKind.TERMINATE, TERMINATED)
                .build();
    }

    public static Builder builder(String initial) {
        return new Builder(initial);
    }

    /** The state {@code kind} enters, or {@code null} if it enters none. */
    public String stateFor(CallKind kind) {
        String s = kindStates.get(kind);
        if (s != null) {
            return s;
        }
        return states.contains(kind.name()) ? kind.name() : null;
    }

    public boolean allows(String from, String to) {
        Set<String> next = transitions.get(from);
        return next != null && next.contains(to);
    }

    private static void requireState(Set<String> states, String s) {
        if (!states.contains(s)) {
            throw new IllegalArgumentException("unknown state: " + s);
        }
    }

    /** Builder; {@code states} must list every state used by transitions and mappings. */
    public static final class Builder {
        private final String initial;
        private String ruleId = "fsm";
        private MonitorAction action = MonitorAction.BLOCK;
        private final Set<String> states = new LinkedHashSet<>();
        private final Map<String, Set<String>> transitions = new LinkedHashMap<>();
        private final Map<CallKind, String> kindStates = new LinkedHashMap<>();
        private Duration idleReset;

        private Builder(String initial) {
            this.initial = initial;
        }

        public Builder ruleId(String id) {
            this.ruleId = id;
            return this;
        }

        public Builder action(MonitorAction a) {
            this.action = a;
            return this;
        }

        public Builder states(String... names) {
            states.addAll(List.of(names));
            return this;
        }

        public Builder allow(String from, String... to) {
            transitions.computeIfAbsent(from, k -> new LinkedHashSet<>()).addAll(List.of(to));
            return this;
        }

        public Builder map(CallKind kind, String state) {
            kindStates.put(kind, state);
            return this;
        }

        public Builder idleReset(Duration d) {
            this.idleReset = d;
            return this;
        }

        public StateMachine build() {
            return new StateMachine(ruleId, action, states, initial, transitions, kindStates, idleReset);
        }
    }
}
