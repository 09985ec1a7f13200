package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moat identity trust alice} / {@code moat identity trust --remove alice} */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Trust NAME as a root of this home: token verify and a running app (within a second) accept chains that start at a trusted root.")
final class IdentityTrust extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "Identity name in this home (import others' .pub files first).")
    String name;

    @Option(names = "--remove", description = "Stop trusting it.")
    boolean remove;

    @Override
    protected int execute() {
        Home home = home();
        AgentIdentity id = home.identity(name);
        TrustStore store = home.trustStore();
        boolean changed = remove ? store.distrust(id.id()) : store.trust(id);
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("name", id.name());
            m.put("id", id.id().value());
            m.put("trustedRoot", !remove);
            m.put("changed", changed);
            printJson(m);
        } else if (remove) {
            out().println((changed ? "no longer trusted: " : "was not trusted: ") + id.name() + "  " + id.id());
        } else {
            out().println((changed ? style().green("trusted root ") : "already trusted: ") + id.name() + "  " + id.id()
                    + "  (" + show(store.file()) + ")");
        }
        return ExitCodes.OK;
    }
}
