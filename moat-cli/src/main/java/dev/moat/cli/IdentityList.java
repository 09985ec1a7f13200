package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code moat identity list} */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the identities of the home.")
final class IdentityList extends CliCommand {
    @Override
    protected int execute() {
        Home home = home();
        TrustStore trust = home.trustStore();
        RevocationList revoked = home.revocations();
        List<AgentIdentity> ids = home.identities();
        if (json()) {
            List<Object> list = new ArrayList<>();
            for (AgentIdentity i : ids) {
                list.add(IdentityView.json(home, i, trust, revoked));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("home", home.root().toString());
            m.put("identities", list);
            printJson(m);
            return ExitCodes.OK;
        }
        if (ids.isEmpty()) {
            out().println("no identities in " + show(home.root()) + " (create one with: moat identity generate --name NAME)");
            return ExitCodes.OK;
        }
        out().printf("%-16s %-39s %-8s %s%n", "NAME", "ID", "KEY", "STATUS");
        for (AgentIdentity i : ids) {
            List<String> status = new ArrayList<>();
            if (trust.isTrusted(i.id())) {
                status.add("trusted root");
            }
            if (revoked.isAgentRevoked(i.id())) {
                status.add("revoked");
            }
            out().printf("%-16s %-39s %-8s %s%n", i.name(), i.id(), home.hasPrivateKey(i.name()) ? "private" : "public",
                    String.join(", ", status));
        }
        return ExitCodes.OK;
    }
}
