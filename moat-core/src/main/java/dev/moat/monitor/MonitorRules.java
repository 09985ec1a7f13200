package dev.moat.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The monitor's whole configuration: immutable, so it can be shared and swapped safely. Rule ids
 * must be unique across all rules.
 *
 * @param stateMachine {@code null} disables the state machine
 * @param drift        {@code null} disables intent drift
 */
public record MonitorRules(
        StateMachine stateMachine,
        List<RateRule> rates,
        List<DistinctResourceRule> distinctResources,
        List<CostBudgetRule> costBudgets,
        List<SequenceRule> sequences,
        DriftRule drift,
        MonitorLimits limits) {

    public MonitorRules {
        rates = List.copyOf(rates);
        distinctResources = List.copyOf(distinctResources);
        costBudgets = List.copyOf(costBudgets);
        sequences = List.copyOf(sequences);
        limits = limits == null ? MonitorLimits.DEFAULTS : limits;
        Set<String> ids = new HashSet<>();
        List<String> all = new ArrayList<>();
        if (stateMachine != null) {
            all.add(stateMachine.ruleId());
        }
        rates.forEach(r -> all.add(r.id()));
        distinctResources.forEach(r -> all.add(r.id()));
        costBudgets.forEach(r -> all.add(r.id()));
        sequences.forEach(r -> all.add(r.id()));
        if (drift != null) {
            all.add(drift.id());
        }
        for (String id : all) {
            if (!ids.add(id)) {
                throw new IllegalArgumentException("duplicate monitor rule id: " + id);
            }
        }
    }

    /** No rules at all: every call passes. */
    public static MonitorRules none() {
        return builder().build();
    }

    public Optional<StateMachine> stateMachineRule() {
        return Optional.ofNullable(stateMachine);
    }

    public Optional<DriftRule> driftRule() {
        return Optional.ofNullable(drift);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StateMachine stateMachine;
        private final List<RateRule> rates = new ArrayList<>();
        private final List<DistinctResourceRule> distinct = new ArrayList<>();
        private final List<CostBudgetRule> costs = new ArrayList<>();
        private final List<SequenceRule> sequences = new ArrayList<>();
        private DriftRule drift;
        private MonitorLimits limits = MonitorLimits.DEFAULTS;

        private Builder() {}

        public Builder stateMachine(StateMachine fsm) {
            this.stateMachine = fsm;
            return this;
        }

        public Builder rate(RateRule r) {
            rates.add(r);
            return this;
        }

        public Builder distinctResources(DistinctResourceRule r) {
            distinct.add(r);
            return this;
        }

        public Builder costBudget(CostBudgetRule r) {
            costs.add(r);
            return this;
        }

        public Builder sequence(SequenceRule r) {
            sequences.add(r);
            return this;
        }

        public Builder drift(DriftRule r) {
            this.drift = r;
            return this;
        }

        public Builder limits(MonitorLimits l) {
            this.limits = l;
            return this;
        }

        public MonitorRules build() {
            return new MonitorRules(stateMachine, rates, distinct, costs, sequences, drift, limits);
        }
    }
}
