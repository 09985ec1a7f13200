package dev.moat;

import dev.moat.token.Grant;
import dev.moat.tool.RequestRules;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.rule.ArgumentRule;
import dev.moat.tool.rule.PathRules;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one user request may do, made in one call: a capability narrowed to the resources and
 * actions of the tools the request needs, and request-scoped argument rules (the destination
 * values it needs: this request may only mail {@code bob@example.com} and pay one IBAN) that every
 * adapter's tool check applies on top of the tools' own rules, so they only narrow.
 * {@link Capabilities#during(RequestCapability, java.util.function.Supplier)} puts both in force
 * for one thread. Made by {@link Capabilities#forRequest}; not installed and not audited on its own
 * (every call made with it is).
 *
 * <pre>{@code
 * RequestCapability request = moat.capabilities().forRequest("assistant", "alice")
 *         .tools("send_mail", "pay")
 *         .argument("send_mail", "to", ArgumentRule.oneOf("bob@example.com"))
 *         .argument("pay", "iban", ArgumentRule.oneOf("DE89370400440532013000"))
 *         .build();
 * moat.capabilities().during(request, () -> assistant.chat(message));
 * }</pre>
 *
 * @param capability the narrowed capability the calls are signed with
 * @param rules      the request's tools and argument rules
 */
public record RequestCapability(Capability capability, RequestRules rules) {
    public RequestCapability {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(rules, "rules");
    }

    /**
     * Builder: the tools (looked up in the runtime's tool rules, or given as {@link ToolPolicy} for
     * tools declared by annotations), then their argument rules. Fail closed: a tool the rules do
     * not name, a rule on a tool not listed, or a resource template is refused when building.
     */
    public static final class Builder {
        private final Capabilities capabilities;
        private final String agent;
        private final String user;
        private final Map<String, ToolPolicy> tools = new LinkedHashMap<>();
        private final RequestRules.Builder rules = RequestRules.builder();
        private Duration validFor = Duration.ofMinutes(5);

        Builder(Capabilities capabilities, String agent, String user) {
            this.capabilities = capabilities;
            this.agent = agent;
            this.user = user;
        }

        /** The request may call these tools, as the runtime's tool rules ({@code tools:}) map them. */
        public Builder tools(String... names) {
            for (String name : names) {
                ToolPolicy p = capabilities.toolRules().find(Objects.requireNonNull(name, "tool")).orElseThrow(() ->
                        new IllegalArgumentException("unknown tool '" + name + "': the runtime's tool rules do not name it"
                                + " (give its ToolPolicy with tool(policy))"));
                tool(p);
            }
            return this;
        }

        /** The request may call the tool {@code policy} guards (for tools declared by annotations or by hand). */
        public Builder tool(ToolPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy.resource().contains("{")) {
                throw new IllegalArgumentException("tool '" + policy.tool() + "' has a resource template (" + policy.resource()
                        + "): narrow its resource by hand with Capabilities.narrow");
            }
            tools.put(policy.tool(), policy);
            rules.tool(policy.tool());
            return this;
        }

        /** The values at {@code path} of {@code tool}'s arguments must also keep {@code argumentRules}. */
        public Builder argument(String tool, String path, ArgumentRule... argumentRules) {
            rules.argument(tool, path, argumentRules);
            return this;
        }

        /** As {@link #argument(String, String, ArgumentRule...)}, with a conditional or nullable path. */
        public Builder argument(String tool, PathRules pathRules) {
            rules.argument(tool, pathRules);
            return this;
        }

        /** How long the capability lives (default 5 minutes; never past its parent's expiry). */
        public Builder validFor(Duration d) {
            Objects.requireNonNull(d, "validFor");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("validFor must be positive");
            }
            this.validFor = d;
            return this;
        }

        /**
         * Delegates the narrowed capability (agent to itself, attenuated from its current one or
         * {@code user}'s) and freezes the rules.
         *
         * @throws dev.moat.token.AttenuationException when a tool's resource is not in the parent capability
         * @throws IllegalArgumentException            as for {@link Capabilities#narrow}, or when no tool is named
         */
        public RequestCapability build() {
            RequestRules frozen = rules.build();
            Capability narrowed = capabilities.narrowFrom(agent, user, (id, parentExpiry) -> {
                Instant now = capabilities.clock().instant();
                Instant until = now.plus(validFor);
                Grant.Builder g = Grant.to(id).issuedAt(now).expiresAt(until.isAfter(parentExpiry) ? parentExpiry : until);
                tools.values().forEach(p -> g.allow(p.resource(), p.action()));
                return g.build();
            });
            return new RequestCapability(narrowed, frozen);
        }
    }
}
