package dev.moat.tool;

import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallCheck;
import dev.moat.guard.CallContext;
import dev.moat.guard.SandboxModule;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.pep.Decision;
import dev.moat.tool.rule.ArgumentPath;
import dev.moat.tool.rule.ArgumentRule;
import dev.moat.tool.rule.BudgetScope;
import dev.moat.tool.rule.PathRules;
import dev.moat.tool.rule.SchemaCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one tool is guarded, whatever the framework: the resource and action its capability must
 * grant, the rules on its arguments, whether a human approves each call, optionally a WebAssembly
 * implementation run in Moat's sandbox instead of the tool's own code, and the secrets it uses.
 * Built from the annotations ({@link ToolAnnotations}), from the policy file's {@code tools:}
 * section ({@link ToolRules}) or by hand ({@link #forTool}). Immutable, except for the running sums
 * of its budgets, kept in its {@link BudgetLedger}.
 */
public final class ToolPolicy {
    private final String tool;
    private final String resource;
    private final boolean resourceGiven;
    private final String action;
    private final List<PathRules> arguments;
    private final boolean approval;
    private final SandboxModule sandbox;
    private final List<String> secrets;
    private final BudgetLedger ledger;
    private final Builder template;

    private ToolPolicy(Builder b, String tool, String defaultResource, BudgetLedger ledger) {
        this.tool = tool;
        this.resourceGiven = b.resource != null;
        this.resource = b.resource != null ? b.resource : defaultResource != null ? defaultResource : "tool://" + tool;
        this.action = b.action;
        this.arguments = List.copyOf(b.arguments);
        this.approval = b.approval;
        this.sandbox = b.sandbox;
        this.secrets = List.copyOf(b.secrets);
        this.ledger = ledger;
        this.template = b;
    }

    /** The defaults for {@code tool}: {@code tool://<tool>}, {@code execute}, no rules, no approval. */
    public static ToolPolicy defaults(String tool) {
        return forTool(tool).build();
    }

    public static Builder forTool(String tool) {
        return new Builder(tool);
    }

    /**
     * This policy for another tool name (a glob entry applied to a concrete tool): the same rules,
     * budgets counted in the same ledger, and, unless a resource was given, {@code defaultResource}.
     */
    ToolPolicy forName(String name, String defaultResource, BudgetLedger sharedLedger) {
        return new ToolPolicy(template, name, defaultResource, sharedLedger);
    }

    /**
     * This policy with another resource and action (either {@code null}: kept), the same rules, and
     * budgets counted in the same ledger: for adapters whose own configuration maps a method to a
     * resource ({@code agent.methods} of the policy file).
     */
    public ToolPolicy withMapping(String resource, String action) {
        if (resource == null && action == null) {
            return this;
        }
        Builder b = template.copy();
        if (resource != null) {
            b.resource(resource);
        }
        if (action != null) {
            b.action(action);
        }
        return new ToolPolicy(b, tool, this.resource, ledger);
    }

    public String tool() {
        return tool;
    }

    public String resource() {
        return resource;
    }

    /** True when the resource was configured, false when it is the default for the tool's name. */
    public boolean resourceGiven() {
        return resourceGiven;
    }

    public String action() {
        return action;
    }

    /** The argument rules, in the order they are checked. */
    public List<PathRules> arguments() {
        return arguments;
    }

    public boolean approvalRequired() {
        return approval;
    }

    /** Names of the secrets the tool uses (a handle to each is issued per call). */
    public List<String> secrets() {
        return secrets;
    }

    /** The WebAssembly implementation run in Moat's sandbox instead of the tool's own code, if any. */
    public Optional<SandboxModule> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    /** True when some argument rule is a budget (the call then needs {@link #spendBudgets}). */
    public boolean hasBudgets() {
        return arguments.stream().anyMatch(p -> p.rules().stream().anyMatch(r -> r instanceof ArgumentRule.Budget));
    }

    /**
     * The stateless argument rules on the signed argument bytes: {@code null} when they all hold,
     * else an {@code argument_rejected} failure naming the argument (bytes that are not a JSON
     * object are refused too).
     */
    public Failure checkArguments(byte[] canonicalArguments) {
        Map<String, Object> args = parse(canonicalArguments);
        if (args == null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "the arguments are not a JSON object");
        }
        for (PathRules p : arguments) {
            String v = p.violation(args);
            if (v != null) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, v);
            }
        }
        return null;
    }

    /**
     * Spends the call's amounts against its budgets, all or none ({@code null}), or refuses the
     * call ({@code argument_rejected}) when one would exceed its cap or its scope is unknown (a
     * per-conversation budget and no conversation id). Run it last, after every other check, so a
     * call refused for another reason spends nothing.
     */
    public Failure spendBudgets(byte[] canonicalArguments, CallContext context, Decision.Allow allow) {
        if (!hasBudgets()) {
            return null;
        }
        Map<String, Object> args = parse(canonicalArguments);
        if (args == null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "the arguments are not a JSON object");
        }
        List<BudgetLedger.Charge> charges = new ArrayList<>();
        for (PathRules p : arguments) {
            if (!p.applies(args)) {
                continue;
            }
            for (ArgumentRule r : p.rules()) {
                if (!(r instanceof ArgumentRule.Budget budget)) {
                    continue;
                }
                String scope = scopeKey(budget.per(), context, allow);
                if (scope == null) {
                    return Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument '" + p.path() + "' has a budget per "
                            + budget.per().code() + " but the call names no " + budget.per().code());
                }
                BigDecimal amount = p.sum(args);
                charges.add(new BudgetLedger.Charge(tool + "\u0000" + p.path() + "\u0000" + budget.per().code() + "\u0000" + scope,
                        "argument '" + p.path() + "' budget per " + budget.per().code(), amount, budget.total()));
            }
        }
        String refused = ledger.spend(charges);
        return refused == null ? null : Failure.of(ReasonCode.ARGUMENT_REJECTED, refused);
    }

    /** What has been spent on the budget of {@code path} for scope key {@code scope} (tests, diagnostics). */
    public BigDecimal spent(String path, BudgetScope per, String scope) {
        return ledger.spent(tool + "\u0000" + path + "\u0000" + per.code() + "\u0000" + scope);
    }

    /**
     * The whole argument check for adapters without an approval step: the rules, then the budgets.
     * {@code malformed} is why the adapter could not make the arguments canonical, or {@code null}.
     * A tool that requires approval is not approved here (use the overload with an {@link Approver}).
     */
    public CallCheck check(CallContext context, String malformed) {
        return check(context, malformed, null, null);
    }

    /**
     * The whole argument check every adapter runs between the PEP's allow and the tool, on the
     * signed argument bytes: the argument rules; the rules of the request in force on this thread
     * ({@link RequestRules#during}), if any, on top (they only narrow); then, when the tool requires approval, the human
     * approval of exactly those bytes (bound to their SHA-256, recorded in {@code audit} before the
     * tool runs); last the budgets, spent only when everything else passed. {@code malformed} is
     * why the adapter could not make the arguments canonical, or {@code null}. With a {@code null}
     * approver no approval step runs; a tool requiring approval needs a non-null approver and audit.
     */
    public CallCheck check(CallContext context, String malformed, Approver approver, AuditLog audit) {
        Objects.requireNonNull(context, "context");
        if (approver != null) {
            Objects.requireNonNull(audit, "audit");
        }
        boolean approve = approval && approver != null;
        return allow -> {
            if (malformed != null) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, malformed);
            }
            byte[] body = allow.message().body();
            Failure f = checkArguments(body);
            RequestRules request = RequestRules.current();
            if (f == null && request != null) {
                f = request.violation(tool, parse(body));
            }
            if (f == null && approve) {
                f = ApprovalCheck.check(tool, approver, audit, allow);
            }
            return f != null ? f : spendBudgets(body, context, allow);
        };
    }

    /**
     * Argument paths whose first name the tool's JSON schema ({@code {"type":"object","properties":{...}}},
     * plain values) does not have: typos such as {@code recipent} that would otherwise never fire.
     */
    public List<String> unknownArguments(Map<String, Object> inputSchema) {
        return SchemaCheck.unknown(arguments, inputSchema);
    }

    private static String scopeKey(BudgetScope per, CallContext context, Decision.Allow allow) {
        return switch (per) {
            case CONVERSATION -> context.conversation();
            case CAPABILITY -> allow.capability().leaf().id();
            case AGENT -> allow.message().sender().value();
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] canonical) {
        try {
            int max = Math.max(1, Math.min(canonical.length, 64 << 20));
            Object v = CanonicalJson.parse(canonical, new JsonLimits(max, JsonLimits.DEFAULT.maxDepth(), JsonLimits.DEFAULT.maxNumberLength()));
            return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (CanonicalJsonException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ToolPolicy[" + tool + " -> " + resource + " " + action + (approval ? ", approval" : "")
                + (sandbox == null ? "" : ", sandboxed " + sandbox.sha256().substring(0, 12))
                + (secrets.isEmpty() ? "" : ", " + secrets.size() + " secret(s)")
                + (arguments.isEmpty() ? "" : ", rules on " + arguments.stream().map(p -> p.path().text()).toList()) + "]";
    }

    /** Builder for {@link ToolPolicy}. */
    public static final class Builder {
        private final String tool;
        private String resource;
        private String action = "execute";
        private final List<PathRules> arguments = new ArrayList<>();
        private boolean approval;
        private SandboxModule sandbox;
        private final List<String> secrets = new ArrayList<>();
        private BudgetLedger ledger;

        private Builder(String tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            if (tool.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank");
            }
        }

        public Builder resource(String resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        public Builder action(String action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Adds rules that always apply to the values at {@code path} ({@code amount}, {@code recipients[*]}). */
        public Builder constrain(String path, ArgumentRule... rules) {
            arguments.add(new PathRules(ArgumentPath.parse(path), null, false, Arrays.asList(rules)));
            return this;
        }

        /** Adds rules on a path, possibly conditional or nullable. */
        public Builder argument(PathRules rules) {
            arguments.add(Objects.requireNonNull(rules, "rules"));
            return this;
        }

        public Builder requireApproval() {
            this.approval = true;
            return this;
        }

        /** Runs {@code module} in the sandbox, under the capability's limits, instead of the tool's own code. */
        public Builder sandbox(SandboxModule module) {
            this.sandbox = Objects.requireNonNull(module, "module");
            return this;
        }

        /** The tool needs these secrets: a handle to each is issued to the agent for every call. */
        public Builder secrets(String... names) {
            secrets.addAll(Arrays.asList(names));
            return this;
        }

        /** Counts budgets in {@code ledger} (shared with other policies) instead of a ledger of this policy's own. */
        public Builder ledger(BudgetLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        public ToolPolicy build() {
            return new ToolPolicy(copy(), tool, null, ledger != null ? ledger : new BudgetLedger());
        }

        private Builder copy() {
            Builder b = new Builder(tool);
            b.resource = resource;
            b.action = action;
            b.arguments.addAll(arguments);
            b.approval = approval;
            b.sandbox = sandbox;
            b.secrets.addAll(secrets);
            return b;
        }
    }
}
