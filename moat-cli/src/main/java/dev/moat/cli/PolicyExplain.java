package dev.moat.cli;

import dev.moat.Moat;
import dev.moat.guard.CallCheck;
import dev.moat.guard.CallContext;
import dev.moat.guard.ToolCall;
import dev.moat.internal.DisplayText;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.pep.Decision;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyDocument;
import dev.moat.policy.PolicyValues;
import dev.moat.token.Scope;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moat policy explain --agent A --tool T --args '{...}'}: would this call be allowed, and
 * by which grant and rule. The policy is dry-started and the call decided by the very code a
 * running app uses ({@code Guard.decide}: sign, PEP, monitor, after-PEP check); {@code --tool}
 * is mapped through the policy's {@code tools:} section (resource, action, argument rules,
 * budgets) exactly as the adapters map it, else to the safe default; nothing is written. The answer names the grant the agent holds and the allow or deny rule that matched,
 * with their {@code file:line:column}. Exit 0 when allowed, 1 when denied.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Would this call be allowed, and by which grant and rule? Dry-starts the policy (nothing is written)",
            "and decides the call with the same code as a running app (Guard.decide). --tool T is mapped as adapters map it:",
            "its tools: entry (resource, action, argument rules, budgets), else the safe default tool://T, execute.",
            "--resource and --action give them directly. Exit 0 when allowed, 1 when denied."})
final class PolicyExplain extends CliCommand {
    @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "moat.yaml", description = "Policy file (default: ${DEFAULT-VALUE}).")
    String file;

    @Option(names = "--agent", required = true, paramLabel = "NAME", description = "The agent that makes the call.")
    String agent;

    @Option(names = "--tool", paramLabel = "T", description = "Tool name: resource tool://T, action execute.")
    String tool;

    @Option(names = "--resource", paramLabel = "R", description = "The resource called (instead of --tool).")
    String resource;

    @Option(names = "--action", paramLabel = "A", description = "The action (default: execute).")
    String action;

    @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}", description = "The call's arguments, a JSON object (default: {}).")
    String args;

    @Option(names = "--user", paramLabel = "U", description = "The end user the call is made for.")
    String user;

    @Override
    protected int execute() {
        if ((tool == null) == (resource == null)) {
            throw CliException.usage("give exactly one of --tool T or --resource R");
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.canonicaliseObject(args, JsonLimits.DEFAULT);
        } catch (CanonicalJsonException e) {
            throw CliException.usage("--args is not a JSON object: " + e.getMessage());
        }
        Path p = resolve(file);
        MoatPolicy policy = PolicyFiles.load(p);
        Decision d;
        String res;
        String act;
        String toolEntry = null;
        try (Moat moat = PolicyFiles.dryStart(policy)) {
            CallContext context = user == null ? CallContext.NONE : CallContext.user(user);
            CallCheck check = CallCheck.NONE;
            if (tool != null) { // mapped as every adapter maps it: the tools: entry, else the safe default
                ToolRules rules = moat.toolRules();
                ToolPolicy tp = rules.policyFor(tool, null);
                toolEntry = entryFor(rules, tool);
                if (tp.resource().contains("{")) {
                    throw CliException.usage("tool '" + tool + "' maps to the resource template " + tp.resource()
                            + ": give the filled resource with --resource (and --action)");
                }
                res = tp.resource();
                act = action != null ? action : tp.action();
                check = tp.check(context, null); // its argument rules and budgets, after the PEP's allow
            } else {
                res = resource;
                act = action != null ? action : "execute";
            }
            d = moat.guard().decide(ToolCall.builder(agent, res, act).arguments(canonical).context(context).check(check).build());
        }
        Rule rule = rule(policy, agent, res, act, d);
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("allowed", d.allowed());
            m.put("agent", agent);
            m.put("resource", res);
            m.put("action", act);
            if (toolEntry != null) {
                m.put("toolEntry", toolEntry);
                m.put("toolEntryLocation", at(policy, toolEntry));
            }
            if (d instanceof Decision.Deny deny) {
                m.put("stage", deny.stage().code());
                m.put("reason", deny.code().code());
                m.put("detail", deny.failure().detail());
            }
            if (rule.grant() != null) {
                m.put("grant", rule.grant());
                m.put("grantLocation", rule.grantAt());
            }
            if (rule.rule() != null) {
                m.put("rule", rule.rule());
                m.put("ruleLocation", rule.ruleAt());
                m.put("ruleText", rule.text());
            }
            printJson(m);
        } else {
            String call = DisplayText.escape(agent) + "  " + DisplayText.escape(act) + " " + DisplayText.escape(res);
            if (d instanceof Decision.Deny deny) {
                out().println(style().red("denied  ") + call);
                out().println("  " + deny.stage().code() + "/" + deny.code().code() + ": " + DisplayText.escape(deny.failure().detail()));
            } else {
                out().println(style().green("allowed ") + call);
            }
            if (tool != null) {
                out().println("  tool   " + DisplayText.escape(tool) + " -> " + DisplayText.escape(act) + " " + DisplayText.escape(res) + "  "
                        + (toolEntry == null ? "(no tools: entry: the safe default)" : toolEntry + "  " + at(policy, toolEntry)));
            }
            if (rule.grant() != null) {
                out().println("  grant  " + rule.grant() + "  " + rule.grantAt());
            }
            if (rule.rule() != null) {
                out().println("  rule   " + rule.rule() + "  " + rule.ruleAt() + "  " + DisplayText.escape(rule.text()));
            } else if (rule.grant() != null && d instanceof Decision.Deny deny && deny.code() == dev.moat.check.ReasonCode.NOT_GRANTED) {
                out().println("  rule   no allow rule of the grants along the delegation covers " + DisplayText.escape(act) + " "
                        + DisplayText.escape(res));
            }
        }
        return d.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    /** The {@code tools:} key that configures {@code tool}: its exact entry, else the first glob matching it. */
    private static String entryFor(ToolRules rules, String tool) {
        if (rules.find(tool).isEmpty()) {
            return null;
        }
        List<String> keys = rules.keys();
        if (keys.contains(tool)) {
            return "tools." + tool;
        }
        for (String k : keys) {
            if (ToolRules.isGlob(k) && dev.moat.token.ResourcePattern.parse("tool://" + k).matches("tool://" + tool)) {
                return "tools." + k;
            }
        }
        return null;
    }

    /** The grant the agent holds and, when one matched, the allow or deny rule that decided. */
    private record Rule(String grant, String grantAt, String rule, String ruleAt, String text) {}

    /**
     * Walks the grants along the agent's delegation (the last grant to it, then the last grant to
     * its issuer, ...): an explicit denial is the first deny rule that matches on the way; an
     * allow is the matching allow rule of the grant held.
     */
    private static Rule rule(MoatPolicy policy, String agent, String resource, String action, Decision d) {
        List<PolicyDocument.GrantSpec> grants = policy.document().grants() == null ? List.of() : policy.document().grants();
        List<Integer> path = new ArrayList<>();
        String subject = agent;
        for (int guard = 0; guard < grants.size() && subject != null; guard++) {
            int held = -1;
            for (int i = (path.isEmpty() ? grants.size() : path.get(path.size() - 1)) - 1; i >= 0; i--) {
                if (grants.get(i).subject().equals(subject)) {
                    held = i;
                    break;
                }
            }
            if (held < 0) {
                break;
            }
            path.add(held);
            subject = grants.get(held).issuer();
        }
        if (path.isEmpty()) {
            return new Rule(null, null, null, null, null);
        }
        String grant = "grants[" + path.get(0) + "]";
        String grantAt = at(policy, grant);
        boolean denied = d instanceof Decision.Deny deny && deny.code() == dev.moat.check.ReasonCode.EXPLICITLY_DENIED;
        for (int g : denied ? path : List.of(path.get(0))) {
            List<PolicyDocument.ScopeSpec> specs = denied ? grants.get(g).deny() : grants.get(g).allow();
            if (specs == null) {
                continue;
            }
            List<Scope> scopes = PolicyValues.scopes(specs);
            for (int j = 0; j < scopes.size(); j++) {
                if (scopes.get(j).matches(resource, action)) {
                    String rule = "grants[" + g + "]." + (denied ? "deny" : "allow") + "[" + j + "]";
                    return new Rule(grant, grantAt, rule, at(policy, rule), scopes.get(j).toString());
                }
            }
        }
        return new Rule(grant, grantAt, null, null, null);
    }

    private static String at(MoatPolicy policy, String field) {
        return policy.positions().of(field).map(pos -> policy.file().getFileName() + ":" + pos).orElse(policy.file().getFileName().toString());
    }
}
