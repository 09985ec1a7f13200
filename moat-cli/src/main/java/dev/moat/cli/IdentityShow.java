package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moat identity show alice} */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one identity (public facts only).")
final class IdentityShow extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "Identity name.")
    String name;

    @Override
    protected int execute() {
        Home home = home();
        AgentIdentity id = home.identity(name);
        Map<String, Object> m = IdentityView.json(home, id, home.trustStore(), home.revocations());
        if (json()) {
            m.put("ok", true);
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().bold(id.name()));
        out().println("  id           " + id.id());
        out().println("  public key   " + id.publicKey().toBase64Url());
        out().println("  private key  " + (home.hasPrivateKey(name) ? show(home.privateKeyFile(name)) + " (not shown)" : "not in this home"));
        out().println("  trusted root " + ((Boolean) m.get("trustedRoot") ? "yes" : "no"));
        out().println("  revoked      " + ((Boolean) m.get("revoked") ? "yes" : "no"));
        return ExitCodes.OK;
    }
}
