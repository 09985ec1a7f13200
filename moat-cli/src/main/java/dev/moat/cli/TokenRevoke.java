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

/**
 * {@code moat token revoke --token carol.token} / {@code --token-id ID} / {@code --agent NAME|ID}, in
 * the home's revocation list, or with {@code --policy moat.yaml} in the fleet's shared store (the
 * policy's {@code store:} section), which every replica enforces within a second.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Add to the home's revocation list (revoked.json), which token verify consults at every link;",
            "with --policy, to the fleet's shared store named in that policy's store: section (every replica within a second).",
            "Revoking a token also invalidates every token delegated from it; revoking an agent invalidates every chain it appears in."})
final class TokenRevoke extends CliCommand {
    @Option(names = "--token", paramLabel = "FILE", description = "Revoke the leaf token of this file.")
    String token;

    @Option(names = "--token-id", paramLabel = "ID", description = "Revoke a token by its id (see token inspect).")
    String tokenId;

    @Option(names = "--agent", paramLabel = "NAME", description = "Revoke an identity of this home (or of the policy, or an agent id).")
    String agent;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Revoke fleet-wide in the shared store of this policy's store: section (password from the variable it names).")
    String policy;

    @Override
    protected int execute() {
        if (token == null && tokenId == null && agent == null) {
            throw CliException.usage("give --token FILE, --token-id ID or --agent NAME");
        }
        if (policy != null) {
            return fleet();
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

    /** The same revocations in the fleet's shared store. */
    private int fleet() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        List<String> done = new ArrayList<>();
        String where;
        try (FleetStore fleet = FleetStore.open(resolve(policy), cli())) {
            where = fleet.describe();
            if (token != null) {
                CapabilityToken leaf = TokenFiles.read(resolve(token)).leafClaims().orThrow();
                fleet.trust().revokeToken(leaf.id());
                done.add("token " + leaf.id() + " (" + token + ")");
                m.put("tokenId", leaf.id());
            }
            if (tokenId != null) {
                fleet.trust().revokeToken(tokenId);
                done.add("token " + tokenId);
                m.put("tokenId", tokenId);
            }
            if (agent != null) {
                dev.moat.identity.AgentId id;
                AgentIdentity named = FleetStore.isAgentId(agent) ? null : fleet.policyAgent(agent);
                if (FleetStore.isAgentId(agent)) {
                    id = dev.moat.identity.AgentId.parse(agent);
                } else {
                    id = (named != null ? named : home().identity(agent)).id();
                }
                fleet.trust().revokeAgent(id);
                done.add("agent " + agent + (agent.equals(id.value()) ? "" : " (" + id + ")"));
                m.put("agent", id.value());
            }
        } catch (dev.moat.MoatException e) {
            throw CliException.io(e.getMessage());
        }
        m.put("store", where);
        if (json()) {
            printJson(m);
        } else {
            for (String d : done) {
                out().println(style().yellow("revoked ") + d);
            }
            out().println("  recorded in the " + where + "; every replica refuses it within a second");
        }
        return ExitCodes.OK;
    }
}
