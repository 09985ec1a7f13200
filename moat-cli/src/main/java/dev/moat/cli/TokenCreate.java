package dev.moat.cli;

import dev.moat.identity.AgentKeypair;
import dev.moat.token.CapabilityToken;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code moat token create --issuer alice --subject bob --resource tool://analyze --actions read,execute ...} */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Issue a root capability token signed by ISSUER (whose private key is in the home).",
            "The issuer becomes a trusted root of this home (unless --no-trust); an unknown subject is generated (unless --no-generate)."})
final class TokenCreate extends CliCommand {
    @Option(names = "--issuer", required = true, paramLabel = "NAME", description = "Signing identity in this home.")
    String issuer;

    @Option(names = "--subject", required = true, paramLabel = "NAME", description = "Who receives the capability.")
    String subject;

    @Mixin
    ScopeOptions scope;

    @Mixin
    LimitOptions limits;

    @Option(names = "--expires-in", paramLabel = "DURATION", defaultValue = "1h",
            description = "Lifetime, e.g. 30m, 1h, 7d (default: ${DEFAULT-VALUE}).")
    String expiresIn;

    @Option(names = "--out", paramLabel = "FILE", description = "Token file (default: SUBJECT.token in the working directory).")
    String outFile;

    @Option(names = "--force", description = "Replace the token file if it exists.")
    boolean force;

    @Option(names = "--no-trust", description = "Do not make the issuer a trusted root of this home.")
    boolean noTrust;

    @Option(names = "--no-generate", description = "Refuse an unknown subject instead of generating its identity.")
    boolean noGenerate;

    @Override
    protected int execute() {
        Home home = home();
        AgentKeypair issuerKey = home.keypair(issuer);
        Path out = resolve(outFile == null ? subject + ".token" : outFile);
        TokenFiles.refuseOverwrite(out, force);
        var allowed = scope.allowed();
        var denied = scope.denied();
        ResourceLimits l = limits.applyTo(ResourceLimits.UNLIMITED_COMPUTE_NO_IO);
        var lifetime = Quantities.duration("--expires-in", expiresIn);
        Subjects.Subject subjectId = Subjects.resolve(home, subject, !noGenerate);
        Grant.Builder g = Grant.to(subjectId.identity().id()).limits(l).validFor(lifetime);
        allowed.forEach(g::allow);
        denied.forEach(g::deny);
        TokenChain chain = TokenChain.issue(issuerKey, g.build());
        subjectId.commit(home, this);
        TokenFiles.write(out, chain);
        boolean newlyTrusted = !noTrust && home.trustStore().trust(issuerKey.identity());
        if (newlyTrusted) {
            notice(issuer + " is now a trusted root of " + show(home.root()) + " (it issued a root token here; --no-trust to opt out)");
        }
        CapabilityToken t = chain.leafClaims().orThrow();
        TokenView view = new TokenView(home.names(), Instant.now());
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("file", out.toString());
            m.put("token", view.link(t));
            m.put("issuerTrusted", home.trustStore().isTrusted(issuerKey.id()));
            printJson(m);
        } else {
            out().println(style().green("issued ") + show(out) + ": " + issuer + " -> " + subject);
            out().println("  allows   " + TokenView.scopesText(t.allowed()));
            if (!t.denied().isEmpty()) {
                out().println("  denies   " + TokenView.scopesText(t.denied()));
            }
            out().println("  limits   " + TokenView.limitsText(t.limits()));
            out().println("  expires  " + view.expiryText(t.expiresAt()));
        }
        return ExitCodes.OK;
    }
}
