package dev.moat.cli;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.token.CapabilityToken;
import dev.moat.token.TokenChain;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat token inspect --token carol.token} */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a token in plain words: every link's issuer, subject, scope, denials, limits and expiry,",
            "and whether this home would accept it. Exit 0 whenever the file can be decoded."})
final class TokenInspect extends CliCommand {
    @Option(names = "--token", required = true, paramLabel = "FILE", description = "Token file.")
    String token;

    @Override
    protected int execute() {
        Home home = home();
        Path file = resolve(token);
        TokenChain chain = TokenFiles.read(file);
        TokenView view = new TokenView(home.names(), Instant.now());
        List<CapabilityToken> links = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Checked<CapabilityToken> c = chain.claimsAt(i);
            if (c instanceof Checked.Failed<CapabilityToken> f) {
                throw TokenFiles.invalid(file, f.failure());
            }
            links.add(c.orThrow());
        }
        Failure failure = Verification.verify(home, chain).failureOrNull();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("file", file.toString());
            m.put("valid", failure == null);
            if (failure != null) {
                m.put("reason", failure.code().code());
                m.put("detail", failure.detail());
            }
            List<Object> l = new ArrayList<>();
            links.forEach(t -> l.add(view.link(t)));
            m.put("links", l);
            printJson(m);
            return ExitCodes.OK;
        }
        Style s = style();
        CapabilityToken leaf = links.get(links.size() - 1);
        out().println(s.bold(show(file)) + ": " + TokenVerify.chainText(links, view) + "  (" + links.size() + (links.size() == 1 ? " link)" : " links)"));
        out().println("  status   " + (failure == null ? s.green("valid in " + show(home.root()))
                : s.red("not valid here: " + failure.code().code()) + " (" + failure.detail() + ")"));
        for (int i = 0; i < links.size(); i++) {
            CapabilityToken t = links.get(i);
            out().println("  link " + i + "   " + view.who(t.issuer()) + " -> " + view.who(t.subject())
                    + (t == leaf ? "  (leaf)" : i == 0 ? "  (root)" : ""));
            out().println("    token id  " + t.id());
            out().println("    subject   " + t.subject());
            out().println("    allows    " + TokenView.scopesText(t.allowed()));
            out().println("    denies    " + TokenView.scopesText(t.denied()));
            out().println("    limits    " + TokenView.limitsText(t.limits()));
            out().println("    issued    " + t.issuedAt());
            out().println("    expires   " + view.expiryText(t.expiresAt()));
        }
        return ExitCodes.OK;
    }
}
