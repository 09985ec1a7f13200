package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.monitor.CallKind;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.CostBudgetRule;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.DistinctResourceRule;
import dev.moat.monitor.DriftRule;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.RateRule;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StateMachine;
import dev.moat.monitor.StepMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The policy file's {@code monitor:} section, mapped onto {@link MonitorRules}. Example:
 * <pre>
 * monitor:
 *   state_machine: block            # the default FSM (alert | block), or a custom one:
 *   # state_machine: {action: block, initial: Idle, states: [Idle, Reading, Sending],
 *   #                 transitions: {Idle: [Reading], Reading: [Reading, Sending, Idle], Sending: [Idle]},
 *   #                 kinds: {file: Reading, network: Sending}}
 *   kinds: {"tool://http_get": network, "tool://read_file": file, "tool://get_secret": secret}
 *   rates: [{id: calls, per: agent, max: 30, window: 1m, action: block}]
 *   distinct_resources: {id: spread, max: 20, window: 10m, action: alert}
 *   sequences:
 *     - {id: secret-then-egress, correlation: distinct_agents, window: 5m, action: block,
 *        steps: [{kind: secret}, {kind: network}]}
 *   drift: {id: drift, threshold: 10, action: block, new_resource: 1, kinds: {network: 3}}
 * </pre>
 */
public record MonitorSection(
        @JsonProperty("state_machine") JsonNode stateMachine,
        @JsonProperty("kinds") Map<String, String> kinds,
        @JsonProperty("rates") List<Rate> rates,
        @JsonProperty("distinct_resources") Window distinctResources,
        @JsonProperty("cost_budget") Window costBudget,
        @JsonProperty("sequences") List<Sequence> sequences,
        @JsonProperty("drift") Drift drift) {

    /** A custom state machine: states, allowed transitions, which call kind enters which state. */
    public record Fsm(@JsonProperty(value = "action", required = true) String action,
                      @JsonProperty(value = "initial", required = true) String initial,
                      @JsonProperty(value = "states", required = true) List<String> states,
                      @JsonProperty(value = "transitions", required = true) Map<String, List<String>> transitions,
                      @JsonProperty("kinds") Map<String, String> kinds,
                      @JsonProperty("idle_reset") String idleReset) {}

    public record Rate(@JsonProperty(value = "id", required = true) String id,
                       @JsonProperty(value = "per", required = true) String per,
                       @JsonProperty(value = "max", required = true) Integer max,
                       @JsonProperty(value = "window", required = true) String window,
                       @JsonProperty(value = "action", required = true) String action,
                       @JsonProperty("kind") String kind,
                       @JsonProperty("resource") String resource) {}

    public record Window(@JsonProperty(value = "id", required = true) String id,
                         @JsonProperty(value = "max", required = true) Double max,
                         @JsonProperty(value = "window", required = true) String window,
                         @JsonProperty(value = "action", required = true) String action) {}

    public record Step(@JsonProperty("kind") String kind, @JsonProperty("resource") String resource,
                       @JsonProperty("action") String action, @JsonProperty("tag") String tag) {}

    public record Sequence(@JsonProperty(value = "id", required = true) String id,
                           @JsonProperty(value = "steps", required = true) List<Step> steps,
                           @JsonProperty(value = "window", required = true) String window,
                           @JsonProperty("correlation") String correlation,
                           @JsonProperty(value = "action", required = true) String action) {}

    public record Drift(@JsonProperty(value = "id", required = true) String id,
                        @JsonProperty(value = "threshold", required = true) Double threshold,
                        @JsonProperty(value = "action", required = true) String action,
                        @JsonProperty("new_resource") Double newResource,
                        @JsonProperty("sensitivity_rise") Double sensitivityRise,
                        @JsonProperty("kinds") Map<String, Double> kinds,
                        @JsonProperty("actions") Map<String, Double> actions,
                        @JsonProperty("resources") Map<String, Double> resources,
                        @JsonProperty("half_life") String halfLife) {}

    /** Builds the monitor rules; throws {@link IllegalArgumentException} naming the bad value. */
    public MonitorRules toRules() {
        MonitorRules.Builder b = MonitorRules.builder();
        if (stateMachine != null) {
            b.stateMachine(buildStateMachine());
        }
        for (Rate r : rates == null ? List.<Rate>of() : rates) {
            Duration w = duration(r.window());
            RateRule rule = switch (r.per()) {
                case "agent" -> RateRule.perAgent(r.id(), r.max(), w, action(r.action()));
                case "action" -> RateRule.perAction(r.id(), r.max(), w, action(r.action()));
                case "resource" -> RateRule.perResource(r.id(), r.max(), w, action(r.action()));
                default -> throw new IllegalArgumentException("rates." + r.id() + ".per must be agent, action or resource");
            };
            if (r.kind() != null || r.resource() != null) {
                rule = rule.onlyFor(step(new Step(r.kind(), r.resource(), null, null)));
            }
            b.rate(rule);
        }
        if (distinctResources != null) {
            b.distinctResources(new DistinctResourceRule(distinctResources.id(), distinctResources.max().intValue(),
                    duration(distinctResources.window()), action(distinctResources.action())));
        }
        if (costBudget != null) {
            b.costBudget(new CostBudgetRule(costBudget.id(), costBudget.max(), duration(costBudget.window()), action(costBudget.action())));
        }
        for (Sequence s : sequences == null ? List.<Sequence>of() : sequences) {
            List<StepMatcher> steps = new ArrayList<>();
            s.steps().forEach(st -> steps.add(step(st)));
            Correlation c = s.correlation() == null ? Correlation.DISTINCT_AGENTS
                    : Correlation.valueOf(s.correlation().toUpperCase(Locale.ROOT));
            b.sequence(new SequenceRule(s.id(), steps, duration(s.window()), c, action(s.action())));
        }
        if (drift != null) {
            DriftRule.Builder d = DriftRule.builder(drift.id(), drift.threshold(), action(drift.action()));
            if (drift.newResource() != null) {
                d.newResource(drift.newResource());
            }
            if (drift.sensitivityRise() != null) {
                d.sensitivityRise(drift.sensitivityRise());
            }
            if (drift.kinds() != null) {
                drift.kinds().forEach((k, w) -> d.kind(kind(k), w));
            }
            if (drift.actions() != null) {
                drift.actions().forEach(d::action);
            }
            if (drift.resources() != null) {
                drift.resources().forEach(d::resource);
            }
            if (drift.halfLife() != null) {
                d.halfLife(duration(drift.halfLife()));
            }
            b.drift(d.build());
        }
        return b.build();
    }

    /** {@code state_machine: block} (the default machine) or a full {@link Fsm} object. */
    private StateMachine buildStateMachine() {
        if (stateMachine.isTextual()) {
            return StateMachine.defaults(action(stateMachine.textValue()));
        }
        Fsm f;
        try {
            f = FsmReader.MAPPER.treeToValue(stateMachine, Fsm.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("state_machine: " + e.getOriginalMessage());
        }
        StateMachine.Builder m = StateMachine.builder(f.initial()).ruleId("fsm").action(action(f.action()))
                .states(f.states().toArray(new String[0]));
        f.transitions().forEach((from, to) -> m.allow(from, to.toArray(new String[0])));
        if (f.kinds() != null) {
            f.kinds().forEach((kind, state) -> m.map(kind(kind), state));
        }
        if (f.idleReset() != null) {
            m.idleReset(duration(f.idleReset()));
        }
        return m.build();
    }

    /** Built on first use: only a policy with a state machine needs databind's mapper. */
    private static final class FsmReader {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The call kind of {@code resource}: the first {@code kinds} glob that matches, else EXECUTE. */
    public CallKindResolver kindResolver() {
        return CallKindResolver.of(kinds == null ? Map.of() : kinds);
    }

    static MonitorAction action(String code) {
        return MonitorAction.fromCode(code);
    }

    static CallKind kind(String name) {
        return CallKind.of(name.toUpperCase(Locale.ROOT));
    }

    private static StepMatcher step(Step s) {
        StepMatcher m = StepMatcher.any();
        if (s.kind() != null) {
            m = m.withKind(kind(s.kind()));
        }
        if (s.resource() != null) {
            m = m.withResource(s.resource());
        }
        if (s.action() != null) {
            m = m.withAction(s.action());
        }
        if (s.tag() != null) {
            m = m.withTag(s.tag());
        }
        return m;
    }

    private static Duration duration(String text) {
        return Durations.parse(text);
    }
}
