package dev.moat.cli;

import dev.moat.Capability;
import dev.moat.Moat;
import dev.moat.policy.MoatPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moat policy check moat.yaml}: a dry start of the policy. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Dry-start a policy file: parse it, load and match every key file, issue and delegate every grant",
            "(attenuation enforced), verify the capabilities against the trusted roots and the home's trust store and",
            "revocation list, create the sandbox, declare the secrets. Nothing is written. Prints the binding (id and",
            "SHA-256 of the exact bytes) every signed message names. Exit 1 when invalid, naming file:line:column."})
final class PolicyCheck extends CliCommand {
    @Parameters(paramLabel = "FILE", description = "Policy file (YAML).")
    String file;

    @Override
    protected int execute() {
        Path p = resolve(file);
        MoatPolicy policy = PolicyFiles.load(p);
        var doc = policy.document();
        int grants = doc.grants() == null ? 0 : doc.grants().size();
        int roots = doc.trustedRoots() == null ? 0 : doc.trustedRoots().size();
        Map<String, String> held = new LinkedHashMap<>();
        try (Moat moat = PolicyFiles.dryStart(policy)) {
            for (String agent : new java.util.TreeSet<>(moat.guard().agents())) {
                moat.capabilities().current(agent).map(Capability::expiresAt)
                        .ifPresent(t -> held.put(agent, t.toString()));
            }
        }
        List<String> signers = policy.agents().stream().filter(a -> a.key() != null).map(a -> a.name()).toList();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("valid", true);
            m.put("file", p.toString());
            m.put("id", policy.binding().policyId());
            m.put("sha256", policy.binding().sha256Base64Url());
            m.put("agents", policy.agents().size());
            m.put("trustedRoots", roots);
            m.put("grants", grants);
            m.put("capabilities", held);
            m.put("sandbox", doc.sandbox() != null);
            m.put("warnings", policy.warnings());
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().green("valid ") + show(p) + "  (dry start: nothing written)");
        out().println("  id       " + policy.binding().policyId());
        out().println("  sha256   " + policy.binding().sha256Base64Url());
        out().println("  agents " + policy.agents().size() + " (private keys loaded: " + String.join(", ", signers)
                + "), trusted roots " + roots + ", grants " + grants + " issued and delegated");
        held.forEach((agent, until) -> out().println("  " + agent + " holds a verified capability until " + until));
        if (doc.sandbox() != null) {
            out().println("  sandbox  ready");
        }
        policy.warnings().forEach(this::notice);
        return ExitCodes.OK;
    }
}
