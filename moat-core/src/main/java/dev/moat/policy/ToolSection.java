package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.moat.token.Resources;
import dev.moat.tool.rule.PathRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the policy file's top-level {@code tools:} map, keyed by tool name or glob: what the
 * annotations say in Java, for tools configured without Java (provider and MCP tools, the Java
 * agent, the CrewAI sidecar). Example:
 * <pre>
 * tools:
 *   send_mail:
 *     resource: tool://mail/send
 *     arguments:
 *       - {path: "to[*]", matches: "[^@]+@example\\.com"}
 *       - {path: "attachments[*].file_id", one_of: [f-1, f-2]}
 *       - {path: recipient, one_of: [a@partner.com], when: {path: type, equals: external}}
 *   "mcp/files/*":
 *     arguments: [{path: path, path_under: workspace}]
 *   pay:
 *     mode: audit-only     # this tool's authorization denials are audited as would-deny, the call runs
 *     approval: true
 *     arguments:
 *       - {path: amount, min: 0.01, max: 500, budget: {total: 1000, per: conversation}}
 *       - {path: iban, one_of: [DE89370400440532013000]}
 * </pre>
 */
public record ToolSection(
        @JsonProperty("resource") String resource,
        @JsonProperty("action") String action,
        @JsonProperty("approval") Boolean approval,
        @JsonProperty("sandbox") String sandbox,
        @JsonProperty("secrets") List<String> secrets,
        @JsonProperty("arguments") List<ArgumentSpec> arguments,
        @JsonProperty("mode") String mode) {

    /** Without {@code mode} (enforced unless the policy says otherwise). */
    public ToolSection(String resource, String action, Boolean approval, String sandbox, List<String> secrets,
                       List<ArgumentSpec> arguments) {
        this(resource, action, approval, sandbox, secrets, arguments, null);
    }

    /**
     * The resource pattern this entry's {@code mode} applies to: its {@code resource}, else
     * {@code tool://<key>} (a glob key gives a glob pattern, {@code "mcp/files/*"} gives
     * {@code tool://mcp/files/*}).
     */
    public String resourcePattern(String key) {
        return resource != null ? resource : "tool://" + key;
    }

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:-]{1,128}|\\*|\\*\\*");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** One argument rule entry; {@code path} and at least one rule are required, rules combine (all must hold). */
    public record ArgumentSpec(@JsonProperty(value = "path", required = true) String path,
                               @JsonProperty("nullable") Boolean nullable,
                               @JsonProperty("required") Boolean required,
                               @JsonProperty("absent") Boolean absent,
                               @JsonProperty("equals") String equalTo,
                               @JsonProperty("one_of") List<String> oneOf,
                               @JsonProperty("none_of") List<String> noneOf,
                               @JsonProperty("host_in") List<String> hostIn,
                               @JsonProperty("path_under") String pathUnder,
                               @JsonProperty("max_length") Integer maxLength,
                               @JsonProperty("matches") String matches,
                               @JsonProperty("min") String min,
                               @JsonProperty("max") String max,
                               @JsonProperty("budget") BudgetSpec budget,
                               @JsonProperty("when") WhenSpec when) {}

    /** A cumulative cap: {@code total}, counted {@code per} conversation (default), capability or agent. */
    public record BudgetSpec(@JsonProperty(value = "total", required = true) String total,
                             @JsonProperty("per") String per) {}

    /** The condition: the value at {@code path} equals {@code equals}, or is one of {@code one_of}. */
    public record WhenSpec(@JsonProperty(value = "path", required = true) String path,
                           @JsonProperty("equals") String equalTo,
                           @JsonProperty("one_of") List<String> oneOf) {}

    /**
     * Checks every entry of the section: keys, resources, actions, declared secrets, and each
     * argument rule (built, so a rule that would fail at start-up fails here). Throws
     * {@link IllegalArgumentException} in plain words starting with the key path
     * ({@code tools.pay.arguments[1].min: ...}). The sandbox module file is not read here.
     */
    static void validate(Map<String, ToolSection> tools, Path base, Set<String> secretNames) {
        if (tools == null) {
            return;
        }
        for (Map.Entry<String, ToolSection> e : tools.entrySet()) {
            String at = "tools." + e.getKey();
            checkKey(e.getKey(), at);
            ToolSection t = e.getValue() == null ? empty() : e.getValue();
            t.checkMapping(e.getKey(), at, secretNames);
            try {
                PolicyValues.auditOnly(t.mode());
                dev.moat.token.ResourcePattern.parse(t.resourcePattern(e.getKey()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(at + ".mode: " + ex.getMessage());
            }
            t.argumentRules(at, base);
        }
    }

    /** An entry with nothing set (a YAML key with no value): the defaults. */
    public static ToolSection empty() {
        return new ToolSection(null, null, null, null, null, null);
    }

    private void checkMapping(String name, String at, Set<String> secretNames) {
        if (resource != null) {
            String problem = Resources.check(resource);
            if (problem != null) {
                throw new IllegalArgumentException(at + ".resource: not a valid resource (" + problem + ")");
            }
            if (name.contains("*") || resource.contains("*")) {
                throw new IllegalArgumentException(at + ".resource: a glob entry (or a pattern) cannot name one resource;"
                        + " leave resource out so each tool gets tool://<name>");
            }
        }
        if (action != null && !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException(at + ".action: not an action name (letters, digits, _ . : -)");
        }
        for (String s : secrets == null ? List.<String>of() : secrets) {
            if (!secretNames.contains(s)) {
                throw new IllegalArgumentException(at + ".secrets: '" + s + "' is not declared in secrets:");
            }
        }
        if (sandbox != null && sandbox.isBlank()) {
            throw new IllegalArgumentException(at + ".sandbox: give the module's file path");
        }
    }

    /**
     * The entry's argument rules, built with core's one rule builder; {@code base} resolves a
     * relative {@code path_under}. Errors start with {@code at}.
     */
    public List<PathRules> argumentRules(String at, Path base) {
        List<ArgumentSpec> list = arguments == null ? List.of() : arguments;
        List<PathRules> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                out.add(rules(list.get(i), base));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(at + ".arguments[" + i + "]: " + ex.getMessage());
            }
        }
        return out;
    }

    private static PathRules rules(ArgumentSpec a, Path base) {
        if (a.path() == null) {
            throw new IllegalArgumentException("path: required");
        }
        PathRules.Builder r = PathRules.on(a.path());
        if (a.when() != null) {
            WhenSpec w = a.when();
            if ((w.equalTo() == null) == (w.oneOf() == null)) {
                throw new IllegalArgumentException("when: give exactly one of equals or one_of");
            }
            if (w.equalTo() != null) {
                r.when(w.path(), w.equalTo());
            } else {
                r.whenOneOf(w.path(), w.oneOf());
            }
        }
        if (Boolean.TRUE.equals(a.nullable())) {
            r.nullable();
        }
        if (Boolean.TRUE.equals(a.required())) {
            r.required();
        }
        if (Boolean.TRUE.equals(a.absent())) {
            r.absent();
        }
        if (a.equalTo() != null) {
            r.equalTo(a.equalTo());
        }
        if (a.oneOf() != null) {
            r.oneOf(a.oneOf());
        }
        if (a.noneOf() != null) {
            r.noneOf(a.noneOf());
        }
        if (a.hostIn() != null) {
            r.hostIn(a.hostIn());
        }
        if (a.pathUnder() != null) {
            r.pathUnder(base.resolve(a.pathUnder()).normalize());
        }
        if (a.maxLength() != null) {
            r.maxLength(a.maxLength());
        }
        if (a.matches() != null) {
            r.matches(a.matches());
        }
        if (a.min() != null || a.max() != null) {
            r.range(a.min(), a.max());
        }
        if (a.budget() != null) {
            r.budget(a.budget().total(), a.budget().per());
        }
        return r.build();
    }

    private static void checkKey(String key, String at) {
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (!SEGMENT.matcher(segments[i]).matches() || segments[i].equals("**") && i != segments.length - 1) {
                throw new IllegalArgumentException(at + ": not a tool name or glob (segments of letters, digits, _ . : -"
                        + " separated by /; * for one whole segment, ** for any tail)");
            }
        }
    }
}
