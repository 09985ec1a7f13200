package dev.moat.monitor;

import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the monitor says about one call: {@link Pass}, {@link Alerted} (let it run, audit the
 * alerts) or {@link Blocked} (deny it; {@link Blocked#failure()} is the typed reason).
 */
public sealed interface MonitorVerdict permits MonitorVerdict.Pass, MonitorVerdict.Alerted, MonitorVerdict.Blocked {

    /** Every alert raised by this call, in rule order; empty for {@link Pass}. */
    List<MonitorAlert> alerts();

    default boolean blocks() {
        return this instanceof Blocked;
    }

    /** No rule fired. */
    record Pass() implements MonitorVerdict {
        static final Pass INSTANCE = new Pass();

        @Override
        public List<MonitorAlert> alerts() {
            return List.of();
        }
    }

    /** Rules fired, none of them in block mode. */
    record Alerted(List<MonitorAlert> alerts) implements MonitorVerdict {
        public Alerted {
            alerts = List.copyOf(alerts);
            if (alerts.isEmpty() || alerts.stream().anyMatch(MonitorAlert::blocks)) {
                throw new IllegalArgumentException("Alerted needs at least one alert and no blocking alert");
            }
        }
    }

    /** At least one rule in block mode fired (or the monitor failed). */
    record Blocked(List<MonitorAlert> alerts) implements MonitorVerdict {
        public Blocked {
            alerts = List.copyOf(alerts);
            if (alerts.stream().noneMatch(MonitorAlert::blocks)) {
                throw new IllegalArgumentException("Blocked needs at least one blocking alert");
            }
        }

        /**
         * The denial: {@link ReasonCode#INTERNAL} when the monitor itself failed, otherwise
         * {@link ReasonCode#MONITOR_BLOCKED}; the detail names the blocking rules.
         */
        public Failure failure() {
            boolean internal = alerts.stream().anyMatch(a -> a.kind() == RuleKind.INTERNAL);
            String rules = alerts.stream()
                    .filter(MonitorAlert::blocks)
                    .map(a -> a.kind().code() + ":" + a.ruleId())
                    .collect(Collectors.joining(", "));
            return Failure.of(internal ? ReasonCode.INTERNAL : ReasonCode.MONITOR_BLOCKED, "monitor: " + rules);
        }
    }

    static MonitorVerdict pass() {
        return Pass.INSTANCE;
    }

    /** Pass for no alerts, Blocked if any alert blocks, otherwise Alerted. */
    static MonitorVerdict of(List<MonitorAlert> alerts) {
        if (alerts.isEmpty()) {
            return Pass.INSTANCE;
        }
        for (MonitorAlert a : alerts) {
            if (a.blocks()) {
                return new Blocked(alerts);
            }
        }
        return new Alerted(alerts);
    }
}
