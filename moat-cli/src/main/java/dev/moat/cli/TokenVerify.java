package dev.moat.cli;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.token.CapabilityToken;
import dev.moat.token.TokenChain;
import dev.moat.token.VerifiedCapability;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat token verify --token carol.token} */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a token chain: every signature, every attenuation step, every link's expiry,",
            "the home's revocation list, and a root issuer the home trusts. Exit 0 valid, 1 invalid (with the reason)."})
final class TokenVerify extends CliCommand {
    @Option(names = "--token", required = true, paramLabel = "FILE", description = "Token file.")
    String token;

    @Option(names = "--resource", paramLabel = "RESOURCE", description = "Also check that the token allows --action on this resource.")
    String resource;

    @Option(names = "--action", paramLabel = "ACTION", description = "The action to check with --resource.")
    String action;

    @Override
    protected int execute() {
        if ((resource == null) != (action == null)) {
            throw CliException.usage("--resource and --action go together");
        }
        Home home = home();
        Path file = resolve(token);
        TokenChain chain = TokenFiles.read(file);
        Checked<VerifiedCapability> result = Verification.verify(home, chain);
        TokenView view = new TokenView(home.names(), Instant.now());
        if (result instanceof Checked.Failed<VerifiedCapability> f) {
            throw invalid(home, chain, file, f.failure(), view);
        }
        VerifiedCapability cap = result.orThrow();
        if (resource != null) {
            ReasonCode denied = cap.evaluate(resource, action);
            if (denied != null) {
                throw CliException.denied(denied.code(), file.getFileName() + " is valid but does not allow " + action + " on "
                        + resource + " (" + denied.code() + ")");
            }
        }
        CapabilityToken leaf = cap.leaf();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("valid", true);
            m.put("file", file.toString());
            m.put("root", view.agent(cap.rootIssuer()));
            m.put("subject", view.agent(cap.subject()));
            m.put("notAfter", cap.notAfter().toString());
            List<Object> links = new ArrayList<>();
            cap.links().forEach(t -> links.add(view.link(t)));
            m.put("links", links);
            if (resource != null) {
                m.put("allows", Map.of("resource", resource, "action", action));
            }
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().green("valid ") + show(file));
        out().println("  chain    " + chainText(cap.links(), view) + "  (root " + view.who(cap.rootIssuer()) + " is trusted)");
        out().println("  subject  " + view.who(cap.subject()) + "  " + cap.subject());
        out().println("  allows   " + TokenView.scopesText(leaf.allowed()));
        if (!leaf.denied().isEmpty()) {
            out().println("  denies   " + TokenView.scopesText(leaf.denied()));
        }
        out().println("  limits   " + TokenView.limitsText(leaf.limits()));
        out().println("  expires  " + view.expiryText(cap.notAfter()));
        if (resource != null) {
            out().println("  check    " + action + " on " + resource + ": allowed");
        }
        return ExitCodes.OK;
    }

    static String chainText(List<CapabilityToken> links, TokenView view) {
        StringBuilder b = new StringBuilder(view.who(links.get(0).issuer()));
        for (CapabilityToken t : links) {
            b.append(" -> ").append(view.who(t.subject()));
        }
        return b.toString();
    }

    private static CliException invalid(Home home, TokenChain chain, Path file, Failure f, TokenView view) {
        String hint = "";
        if (f.code() == ReasonCode.UNTRUSTED_ROOT) {
            var root = chain.claimsAt(0);
            if (root.isOk()) {
                var name = home.nameOf(root.orThrow().issuer());
                hint = name.map(n -> " (if you trust " + n + ": moat identity trust " + n + ")")
                        .orElse(" (import the root's public identity with: moat identity import FILE.pub --trust)");
            }
        }
        return CliException.denied(f.code().code(), "invalid " + file.getFileName() + ": " + f.code().code() + ": " + f.detail() + hint)
                .with("valid", false).with("detail", f.detail());
    }
}
