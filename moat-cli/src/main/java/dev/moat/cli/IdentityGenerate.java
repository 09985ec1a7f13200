package dev.moat.cli;

import dev.moat.identity.AgentKeypair;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat identity generate --name alice} */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate an Ed25519 identity: keys/NAME.key (owner-only, 0600) and keys/NAME.pub.")
final class IdentityGenerate extends CliCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Local name (A-Z a-z 0-9 . _ -).")
    String name;

    @Option(names = "--trust", description = "Also trust it as a root of this home.")
    boolean trust;

    @Override
    protected int execute() {
        Home home = home();
        AgentKeypair kp = home.generate(name);
        if (trust) {
            home.trustStore().trust(kp.identity());
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("name", kp.name());
            m.put("id", kp.id().value());
            m.put("privateKeyFile", home.privateKeyFile(name).toString());
            m.put("publicKeyFile", home.publicKeyFile(name).toString());
            m.put("trustedRoot", trust);
            printJson(m);
        } else {
            out().println(style().green("generated ") + kp.name() + "  " + kp.id());
            out().println("  private key  " + show(home.privateKeyFile(name)) + " (0600)");
            out().println("  public key   " + show(home.publicKeyFile(name)));
            if (trust) {
                out().println("  trusted as a root of " + show(home.root()));
            }
        }
        return ExitCodes.OK;
    }
}
