package dev.moat.cli;

import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moat policy check moat.yaml} */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a policy file and print its binding: id and SHA-256 of its exact bytes.",
            "Every signed message names this binding; the PEP refuses any other. Exit 1 when invalid."})
final class PolicyCheck extends CliCommand {
    @Parameters(paramLabel = "FILE", description = "Policy file (YAML).")
    String file;

    @Override
    protected int execute() {
        Path p = resolve(file);
        if (!Files.exists(p)) {
            throw CliException.io("no such policy file: " + p);
        }
        if (!Files.isRegularFile(p)) {
            throw CliException.io(p + " is not a regular file");
        }
        MoatPolicy policy;
        try {
            policy = MoatPolicy.load(p);
        } catch (PolicyException e) {
            throw CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
        }
        var doc = policy.document();
        int grants = doc.grants() == null ? 0 : doc.grants().size();
        int roots = doc.trustedRoots() == null ? 0 : doc.trustedRoots().size();
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
            m.put("warnings", policy.warnings());
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().green("valid ") + show(p));
        out().println("  id       " + policy.binding().policyId());
        out().println("  sha256   " + policy.binding().sha256Base64Url());
        out().println("  agents " + policy.agents().size() + ", trusted roots " + roots + ", grants " + grants);
        policy.warnings().forEach(this::notice);
        return ExitCodes.OK;
    }
}
