package dev.moat.cli;

import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.PolicyRuntime;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a policy file and dry-starts it for {@code moat policy check} and {@code explain}: a
 * missing file is exit 3, an invalid policy (parse, values, keys, grants, attenuation, sandbox)
 * exit 1 with core's positioned message and, in {@code --json}, its {@code field} and
 * {@code location}.
 */
final class PolicyFiles {
    private PolicyFiles() {}

    static MoatPolicy load(Path p) {
        if (!Files.exists(p)) {
            throw CliException.io("no such policy file: " + p);
        }
        if (!Files.isRegularFile(p)) {
            throw CliException.io(p + " is not a regular file");
        }
        try {
            return MoatPolicy.load(p);
        } catch (PolicyException e) {
            throw invalid(e);
        }
    }

    /** {@link PolicyRuntime#dryStart}: nothing is written; close the result. */
    static Moat dryStart(MoatPolicy policy) {
        try {
            return PolicyRuntime.dryStart(policy);
        } catch (PolicyException e) {
            throw invalid(e);
        } catch (MoatException | IllegalArgumentException e) { // attenuation, sandbox, secrets, home files
            throw CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
        }
    }

    private static CliException invalid(PolicyException e) {
        CliException c = CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
        if (e.field() != null) {
            c.with("field", e.field());
        }
        if (e.location() != null) {
            c.with("location", e.location());
        }
        return c;
    }
}
