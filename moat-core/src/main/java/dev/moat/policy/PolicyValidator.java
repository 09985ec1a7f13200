package dev.moat.policy;

import dev.moat.identity.AgentNames;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a parsed policy's values and cross-references; errors name the file and the field. */
final class PolicyValidator {
    private PolicyValidator() {}

    static void validate(Path file, PolicyDocument doc, PolicyPositions positions) {
        if (doc.version() == null || doc.version() != 1) {
            throw fail(file, positions, "version", "must be 1");
        }
        try {
            new PolicyBinding(doc.id(), new byte[32]);
        } catch (IllegalArgumentException e) {
            throw fail(file, positions, "id", e.getMessage());
        }
        Set<String> names = new HashSet<>();
        Set<String> signers = new HashSet<>();
        List<PolicyDocument.Agent> agents = doc.agents() == null ? List.of() : doc.agents();
        for (int i = 0; i < agents.size(); i++) {
            PolicyDocument.Agent a = agents.get(i);
            String at = "agents[" + i + "]";
            if (!AgentNames.isValid(a.name())) {
                throw fail(file, positions, at + ".name", "invalid agent name");
            }
            if (!names.add(a.name())) {
                throw fail(file, positions, at + ".name", "duplicate agent '" + a.name() + "'");
            }
            if ((a.key() == null) == (a.publicKey() == null)) {
                throw fail(file, positions, at, "give exactly one of 'key' (private key file) or 'public' (identity file)");
            }
            if (a.key() != null) {
                signers.add(a.name());
            }
        }
        List<String> roots = doc.trustedRoots() == null ? List.of() : doc.trustedRoots();
        if (roots.isEmpty()) {
            throw fail(file, positions, "trusted_roots", "at least one trusted root is required");
        }
        for (int i = 0; i < roots.size(); i++) {
            String r = roots.get(i);
            if (!names.contains(r)) {
                throw fail(file, positions, "trusted_roots[" + i + "]", "'" + r + "' is not a declared agent" + Suggestions.didYouMean(r, names));
            }
        }
        List<PolicyDocument.GrantSpec> grants = doc.grants() == null ? List.of() : doc.grants();
        for (int i = 0; i < grants.size(); i++) {
            PolicyDocument.GrantSpec g = grants.get(i);
            String at = "grants[" + i + "]";
            if (!signers.contains(g.issuer())) {
                throw fail(file, positions, at + ".issuer", "'" + g.issuer() + "' is not an agent whose key is given"
                        + Suggestions.didYouMean(g.issuer(), signers));
            }
            if (!names.contains(g.subject())) {
                throw fail(file, positions, at + ".subject", "'" + g.subject() + "' is not a declared agent"
                        + Suggestions.didYouMean(g.subject(), names));
            }
            String part = at + ".allow";
            try {
                PolicyValues.scopes(g.allow());
                part = at + ".deny";
                PolicyValues.scopes(g.deny());
                part = at + ".valid_for";
                java.time.Duration validFor = Durations.parse(g.validFor());
                part = at + ".renew_before";
                if (g.renewBefore() != null && Durations.parse(g.renewBefore()).compareTo(validFor) >= 0) {
                    throw new IllegalArgumentException("renew_before must be shorter than valid_for");
                }
                part = at + ".limits";
                PolicyValues.limits(g.limits());
            } catch (IllegalArgumentException e) {
                throw fail(file, positions, part, e.getMessage());
            }
            try {
                PolicyValues.auditOnly(g.mode());
            } catch (IllegalArgumentException e) {
                throw fail(file, positions, at + ".mode", e.getMessage());
            }
        }
        try {
            PolicyValues.auditOnly(doc.mode());
        } catch (IllegalArgumentException e) {
            throw fail(file, positions, "mode", e.getMessage());
        }
        if (doc.sandbox() != null) {
            try {
                doc.sandbox().validate();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw fail(file, positions, "sandbox", String.valueOf(e.getMessage()));
            }
        }
        if (doc.monitor() != null) {
            try {
                doc.monitor().toRules();
                doc.monitor().kindResolver();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw fail(file, positions, "monitor", String.valueOf(e.getMessage()));
            }
        }
        List<SecretSpec> secrets = doc.secrets() == null ? List.of() : doc.secrets();
        Set<String> secretNames = new HashSet<>();
        for (int i = 0; i < secrets.size(); i++) {
            SecretSpec s = secrets.get(i);
            String at = "secrets[" + i + "]";
            try {
                s.toDeclaration(file.toAbsolutePath().getParent());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw fail(file, positions, at, String.valueOf(e.getMessage()));
            }
            if (!secretNames.add(s.name())) {
                throw fail(file, positions, at + ".name", "duplicate secret '" + s.name() + "'");
            }
            for (String agent : s.agentsOrEmpty()) {
                if (!names.contains(agent)) {
                    throw fail(file, positions, at + ".agents", "'" + agent + "' is not a declared agent" + Suggestions.didYouMean(agent, names));
                }
            }
        }
        if (doc.store() != null) {
            try {
                doc.store().validate();
            } catch (IllegalArgumentException e) {
                throw fail(file, positions, "store", e.getMessage());
            }
        }
        if (doc.agent() != null) {
            try {
                doc.agent().validate(signers);
            } catch (IllegalArgumentException e) {
                throw fail(file, positions, "agent", e.getMessage());
            }
        }
        try {
            ToolSection.validate(doc.tools(), file.toAbsolutePath().getParent(), secretNames);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(file + ": " + e.getMessage());
        }
        try {
            PolicyValues.routerLimits(doc.router());
        } catch (IllegalArgumentException e) {
            throw fail(file, positions, "router", e.getMessage());
        }
        try {
            PolicyValues.durability(doc.audit());
            PolicyValues.argumentsMode(doc.audit());
        } catch (IllegalArgumentException e) {
            throw fail(file, positions, "audit", e.getMessage());
        }
    }

    private static PolicyException fail(Path file, PolicyPositions positions, String field, String message) {
        return PolicyException.at(file, positions, field, message);
    }
}
