package dev.moat.cli;

import dev.moat.mcp.ToolPins;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The home a policy names (its {@code home:}, default {@code .moat} beside it) and its MCP lock file. */
final class McpHome {
    private McpHome() {}

    static MoatPolicy policy(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliException.io("no such policy file: " + file);
        }
        try {
            return MoatPolicy.load(file);
        } catch (PolicyException e) {
            throw CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
        }
    }

    static Path home(MoatPolicy policy) {
        String home = policy.document().home();
        return policy.resolve(home == null ? ".moat" : home);
    }

    static ToolPins pins(MoatPolicy policy) {
        return ToolPins.inHome(home(policy));
    }
}
