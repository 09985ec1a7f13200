package dev.moat.tool;

import dev.moat.token.ResourcePattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tool policies by tool name or glob: the policy file's {@code tools:} section, shared by every
 * adapter. A name matches its exact entry first, else the first glob entry (in file order) that
 * matches it; globs match {@code /}-separated segments as resource patterns do ({@code *} one
 * whole segment, {@code **} any tail: {@code mcp/files/*}, {@code mcp/**}). Provider tools are
 * named by their source ({@code mcp/<server>/<tool>}), so {@code read_file} of two servers are two
 * entries and two resources.
 *
 * <p>A tool no entry names gets the safe default ({@link #policyFor}): resource
 * {@code tool://<name>} (for provider tools, {@code tool://<source>/<tool>}), action
 * {@code execute}, no argument rules; it runs only if a grant names that resource. All budgets of
 * these policies are counted in one {@link BudgetLedger}, in this process.
 */
public final class ToolRules {
    private static final int MAX_CACHED = 4096;
    private static final ToolRules EMPTY = builder().build();

    private final Map<String, ToolPolicy> exact;
    private final List<Map.Entry<ResourcePattern, ToolPolicy>> globs;
    private final BudgetLedger ledger;
    private final Map<String, ToolPolicy> matched = new ConcurrentHashMap<>();

    private ToolRules(Builder b) {
        this.ledger = b.ledger;
        Map<String, ToolPolicy> e = new LinkedHashMap<>();
        List<Map.Entry<ResourcePattern, ToolPolicy>> g = new ArrayList<>();
        for (ToolPolicy p : b.policies) {
            ToolPolicy shared = p.forName(p.tool(), null, ledger);
            if (isGlob(p.tool())) {
                g.add(Map.entry(ResourcePattern.parse("tool://" + p.tool()), shared));
            } else {
                e.put(p.tool(), shared);
            }
        }
        this.exact = Map.copyOf(e);
        this.globs = List.copyOf(g);
    }

    /**
     * The policy file's top-level {@code tools:} section (sandbox modules read from disk, relative
     * paths resolved against the policy file's directory). Each call builds new rules, with their
     * own budget ledger. Throws {@link dev.moat.policy.PolicyException} naming the key.
     */
    public static ToolRules fromPolicy(dev.moat.policy.MoatPolicy policy) {
        Map<String, dev.moat.policy.ToolSection> tools = policy.document().tools();
        Builder b = builder();
        if (tools == null) {
            return b.build();
        }
        java.nio.file.Path base = policy.file().toAbsolutePath().getParent();
        for (Map.Entry<String, dev.moat.policy.ToolSection> e : tools.entrySet()) {
            String at = "tools." + e.getKey();
            dev.moat.policy.ToolSection t = e.getValue() == null ? dev.moat.policy.ToolSection.empty() : e.getValue();
            try {
                ToolPolicy.Builder p = ToolPolicy.forTool(e.getKey());
                if (t.resource() != null) {
                    p.resource(t.resource());
                }
                if (t.action() != null) {
                    p.action(t.action());
                }
                if (Boolean.TRUE.equals(t.approval())) {
                    p.requireApproval();
                }
                if (t.secrets() != null) {
                    p.secrets(t.secrets().toArray(new String[0]));
                }
                if (t.sandbox() != null) {
                    p.sandbox(module(base.resolve(t.sandbox()).normalize(), at));
                }
                t.argumentRules(at, base).forEach(p::argument);
                b.tool(p.build());
            } catch (IllegalArgumentException ex) {
                throw new dev.moat.policy.PolicyException(policy.file() + ": " + ex.getMessage());
            }
        }
        return b.build();
    }

    private static dev.moat.guard.SandboxModule module(java.nio.file.Path file, String at) {
        try {
            return dev.moat.guard.SandboxModule.of(dev.moat.internal.BoundedFiles.read(file, dev.moat.guard.SandboxModule.MAX_BYTES));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".sandbox: cannot read the module " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** No entries: every tool gets the default. */
    public static ToolRules empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when {@code key} is a glob ({@code *} or {@code **} segments), not a plain tool name. */
    public static boolean isGlob(String key) {
        return key.contains("*");
    }

    /** True when no entry is configured. */
    public boolean isEmpty() {
        return exact.isEmpty() && globs.isEmpty();
    }

    /** The entry keys, exact names then globs, in file order within each. */
    public List<String> keys() {
        List<String> out = new ArrayList<>(exact.keySet());
        globs.forEach(g -> out.add(g.getValue().tool()));
        return out;
    }

    /** The configured policy for the tool {@code name}, if an entry names or matches it. */
    public Optional<ToolPolicy> find(String name) {
        return Optional.ofNullable(lookup(name, null));
    }

    /**
     * The policy for {@code name}: its entry, or the safe default with {@code defaultResource}
     * ({@code null}: {@code tool://<name>}), which an entry without a {@code resource} uses too.
     */
    public ToolPolicy policyFor(String name, String defaultResource) {
        ToolPolicy p = lookup(name, defaultResource);
        if (p != null) {
            return p;
        }
        ToolPolicy.Builder b = ToolPolicy.forTool(name).ledger(ledger);
        if (defaultResource != null) {
            b.resource(defaultResource);
        }
        return b.build();
    }

    private ToolPolicy lookup(String name, String defaultResource) {
        Objects.requireNonNull(name, "name");
        ToolPolicy e = exact.get(name);
        if (e != null) {
            return e.resourceGiven() || defaultResource == null ? e : e.forName(name, defaultResource, ledger);
        }
        if (globs.isEmpty()) {
            return null;
        }
        String cacheKey = name + "\u0000" + (defaultResource == null ? "" : defaultResource);
        ToolPolicy cached = matched.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        String resource = "tool://" + name;
        if (dev.moat.token.Resources.check(resource) != null) {
            return null;
        }
        for (Map.Entry<ResourcePattern, ToolPolicy> g : globs) {
            if (g.getKey().matches(resource)) {
                ToolPolicy p = g.getValue().forName(name, defaultResource, ledger);
                if (matched.size() < MAX_CACHED) {
                    matched.put(cacheKey, p);
                }
                return p;
            }
        }
        return null;
    }

    /** Builder for {@link ToolRules}. */
    public static final class Builder {
        private final List<ToolPolicy> policies = new ArrayList<>();
        private final java.util.Set<String> names = new java.util.HashSet<>();
        private BudgetLedger ledger = new BudgetLedger();

        private Builder() {}

        /** Adds the entry {@code policy.tool()} (a tool name or a glob). */
        public Builder tool(ToolPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (!names.add(policy.tool())) {
                throw new IllegalArgumentException("tool '" + policy.tool() + "' is given twice");
            }
            if (isGlob(policy.tool())) {
                ResourcePattern.parse("tool://" + policy.tool());
            }
            policies.add(policy);
            return this;
        }

        /** Counts budgets in {@code ledger} (default: a new one). */
        public Builder ledger(BudgetLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        public ToolRules build() {
            return new ToolRules(this);
        }
    }
}
