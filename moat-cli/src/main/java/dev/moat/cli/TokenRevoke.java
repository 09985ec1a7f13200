package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import dev.moat.token.CapabilityToken;
import dev.moat.token.TokenChain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat token revoke --token carol.token} / {@code --token-id ID} / {@code --agent NAME} */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Add to the home's revocation list (revoked.json), which token verify consults at every link.",
            "Revoking a token also invalidates every token delegated from it; revoking an agent invalidates every chain it appears in."})
final class TokenRevoke extends CliCommand {
    @Option(names = "--token", paramLabel = "FILE", description = "Revoke the leaf token of this file.")
    String token;

    @Option(names = "--token-id", paramLabel = "ID", description = "Revoke a token by its id (see token inspect).")
    String tokenId;

    @Option(names = "--agent", paramLabel = "NAME", description = "Revoke an identity of this home.")
    String agent;

    @Override
    protected int execute() {
        if (token == null && tokenId == null && agent == null) {
            throw CliException.usage("give --token FILE, --token-id ID or --agent NAME");
        }
        Home home = home();
        RevocationList list = home.revocations();
        List<String> done = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        if (token != null) {
            TokenChain chain = TokenFiles.read(resolve(token));
            CapabilityToken leaf = chain.leafClaims().orThrow();
            list.revokeToken(leaf.id());
            done.add("token " + leaf.id() + " (" + token + ")");
            m.put("tokenId", leaf.id());
        }
        if (tokenId != null) {
            list.revokeToken(tokenId);
            done.add("token " + tokenId);
            m.put("tokenId", tokenId);
        }
        if (agent != null) {
            AgentIdentity id = home.identity(agent);
            list.revokeAgent(id.id());
            done.add("agent " + id.name() + " (" + id.id() + ")");
            m.put("agent", id.id().value());
        }
        m.put("revocationList", list.file().toString());
        if (json()) {
            printJson(m);
        } else {
            for (String d : done) {
                out().println(style().yellow("revoked ") + d);
            }
            out().println("  recorded in " + show(list.file()));
        }
        return ExitCodes.OK;
    }
}
