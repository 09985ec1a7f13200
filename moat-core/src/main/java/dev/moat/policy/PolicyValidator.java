package dev.moat.policy;

import dev.moat.identity.AgentNames;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a parsed policy's values and cross-references; errors name the file and the field. */
final class PolicyValidator {
    private PolicyValidator() {}

    static void validate(Path file, PolicyDocument doc) {
        if (doc.version() == null || doc.version() != 1) {
            throw fail(file, "version", "must be 1");
        }
        try {
            new PolicyBinding(doc.id(), new byte[32]);
        } catch (IllegalArgumentException e) {
            throw fail(file, "id", e.getMessage());
        }
        Set<String> names = new HashSet<>();
        Set<String> signers = new HashSet<>();
        List<PolicyDocument.Agent> agents = doc.agents() == null ? List.of() : doc.agents();
        for (int i = 0; i < agents.size(); i++) {
            PolicyDocument.Agent a = agents.get(i);
            String at = "agents[" + i + "]";
            if (!AgentNames.isValid(a.name())) {
                throw fail(file, at + ".name", "invalid agent name");
            }
            if (!names.add(a.name())) {
                throw fail(file, at + ".name", "duplicate agent '" + a.name() + "'");
            }
            if ((a.key() == null) == (a.publicKey() == null)) {
                throw fail(file, at, "give exactly one of 'key' (private key file) or 'public' (identity file)");
            }
            if (a.key() != null) {
                signers.add(a.name());
            }
        }
        List<String> roots = doc.trustedRoots() == null ? List.of() : doc.trustedRoots();
        if (roots.isEmpty()) {
            throw fail(file, "trusted_roots", "at least one trusted root is required");
        }
        for (String r : roots) {
            if (!names.contains(r)) {
                throw fail(file, "trusted_roots", "'" + r + "' is not a declared agent");
            }
        }
        List<PolicyDocument.GrantSpec> grants = doc.grants() == null ? List.of() : doc.grants();
        for (int i = 0; i < grants.size(); i++) {
            PolicyDocument.GrantSpec g = grants.get(i);
            String at = "grants[" + i + "]";
            if (!signers.contains(g.issuer())) {
                throw fail(file, at + ".issuer", "'" + g.issuer() + "' is not an agent whose key is given");
            }
            if (!names.contains(g.subject())) {
                throw fail(file, at + ".subject", "'" + g.subject() + "' is not a declared agent");
            }
            try {
                PolicyValues.scopes(g.allow());
                PolicyValues.scopes(g.deny());
                java.time.Duration validFor = Durations.parse(g.validFor());
                if (g.renewBefore() != null && Durations.parse(g.renewBefore()).compareTo(validFor) >= 0) {
                    throw new IllegalArgumentException("renew_before must be shorter than valid_for");
                }
                PolicyValues.limits(g.limits());
            } catch (IllegalArgumentException e) {
                throw fail(file, at, e.getMessage());
            }
            try {
                PolicyValues.auditOnly(g.mode());
            } catch (IllegalArgumentException e) {
                throw fail(file, at + ".mode", e.getMessage());
            }
        }
        try {
            PolicyValues.auditOnly(doc.mode());
        } catch (IllegalArgumentException e) {
            throw fail(file, "mode", e.getMessage());
        }
        if (doc.sandbox() != null) {
            try {
                doc.sandbox().validate();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw fail(file, "sandbox", String.valueOf(e.getMessage()));
            }
        }
        if (doc.monitor() != null) {
            try {
                doc.monitor().toRules();
                doc.monitor().kindResolver();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw fail(file, "monitor", String.valueOf(e.getMessage()));
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
                throw fail(file, at, String.valueOf(e.getMessage()));
            }
            if (!secretNames.add(s.name())) {
                throw fail(file, at + ".name", "duplicate secret '" + s.name() + "'");
            }
            for (String agent : s.agentsOrEmpty()) {
                if (!names.contains(agent)) {
                    throw fail(file, at + ".agents", "'" + agent + "' is not a declared agent");
                }
            }
        }
        if (doc.store() != null) {
            try {
                doc.store().validate();
            } catch (IllegalArgumentException e) {
                throw fail(file, "store", e.getMessage());
            }
        }
        if (doc.agent() != null) {
            try {
                doc.agent().validate(signers);
            } catch (IllegalArgumentException e) {
                throw fail(file, "agent", e.getMessage());
            }
        }
        try {
            ToolSection.validate(doc.tools(), file.toAbsolutePath().getParent(), secretNames);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(file + ": " + e.getMessage());
        }
        try {
            PolicyValues.routerLimits(doc.router());
            PolicyValues.durability(doc.audit());
            PolicyValues.argumentsMode(doc.audit());
        } catch (IllegalArgumentException e) {
            throw fail(file, "router/audit", e.getMessage());
        }
    }

    private static PolicyException fail(Path file, String field, String message) {
        return new PolicyException(file + ": " + field + ": " + message);
    }
}
