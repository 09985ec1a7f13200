package dev.moat.cli;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.AttenuationException;
import dev.moat.token.CapabilityToken;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.token.VerifiedCapability;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code moat token attenuate --token bob.token --subject carol --resource tool://analyze --actions read} */
@Command(name = "attenuate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Delegate a narrower slice of a token. The holder (the token's subject) signs, with its key from the home.",
            "Anything broader than the parent (scope, actions, denials, limits, expiry) is refused with exit 1, naming the rule.",
            "Unset limits and expiry are inherited from the parent."})
final class TokenAttenuate extends CliCommand {
    @Option(names = "--token", required = true, paramLabel = "FILE", description = "The holder's token.")
    String token;

    @Option(names = "--subject", required = true, paramLabel = "NAME", description = "Who receives the narrower capability.")
    String subject;

    @Mixin
    ScopeOptions scope;

    @Mixin
    LimitOptions limits;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime (default: the parent's expiry).")
    String expiresIn;

    @Option(names = "--force", description = "Replace the token file if it exists.")
    boolean force;

    @Option(names = "--out", paramLabel = "FILE", description = "Token file (default: SUBJECT.token in the working directory).")
    String outFile;

    @Option(names = "--no-generate", description = "Refuse an unknown subject instead of generating its identity.")
    boolean noGenerate;

    @Override
    protected int execute() {
        Home home = home();
        Path in = resolve(token);
        TokenChain parent = TokenFiles.read(in);
        Checked<CapabilityToken> leafClaims = parent.leafClaims();
        if (leafClaims instanceof Checked.Failed<CapabilityToken> f) {
            throw TokenFiles.invalid(in, f.failure());
        }
        CapabilityToken leaf = leafClaims.orThrow();
        checkParent(home, in, parent);
        String holderName = home.nameOf(leaf.subject()).orElseThrow(() -> CliException.io(
                "the holder of " + in.getFileName() + " (" + leaf.subject() + ") has no identity in " + home.keysDir()
                        + "; attenuate where the holder's private key is"));
        AgentKeypair holder = home.keypair(holderName);
        var allowed = scope.allowed();
        var denied = scope.denied();
        var l = limits.applyTo(leaf.limits());
        var lifetime = expiresIn == null ? null : Quantities.duration("--expires-in", expiresIn);
        Subjects.Subject subjectId = Subjects.resolve(home, subject, !noGenerate);
        Grant.Builder g = Grant.to(subjectId.identity().id()).limits(l);
        allowed.forEach(g::allow);
        denied.forEach(g::deny);
        if (lifetime == null) {
            g.expiresAt(leaf.expiresAt());
        } else {
            g.validFor(lifetime);
        }
        TokenChain child;
        try {
            child = parent.delegate(holder, g.build());
        } catch (AttenuationException e) {
            throw CliException.denied(ReasonCode.BROADENED.code(), "attenuation refused by rule '" + e.rule() + "': "
                    + dev.moat.token.Attenuation.describe(e.rule())).with("rule", e.rule());
        }
        Path out = resolve(outFile == null ? subject + ".token" : outFile);
        TokenFiles.refuseOverwrite(out, force);
        subjectId.commit(home, this);
        TokenFiles.write(out, child);
        CapabilityToken t = child.leafClaims().orThrow();
        TokenView view = new TokenView(home.names(), Instant.now());
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("file", out.toString());
            m.put("links", child.size());
            m.put("token", view.link(t));
            printJson(m);
        } else {
            out().println(style().green("attenuated ") + show(out) + ": " + holderName + " -> " + subject
                    + "  (" + child.size() + " links)");
            out().println("  allows   " + TokenView.scopesText(t.allowed()));
            if (!t.denied().isEmpty()) {
                out().println("  denies   " + TokenView.scopesText(t.denied()));
            }
            out().println("  limits   " + TokenView.limitsText(t.limits()));
            out().println("  expires  " + view.expiryText(t.expiresAt()));
        }
        return ExitCodes.OK;
    }

    /** Delegating from an invalid chain is pointless: refuse, except that the root may be trusted only elsewhere. */
    private void checkParent(Home home, Path in, TokenChain parent) {
        Checked<VerifiedCapability> v = Verification.verify(home, parent);
        Failure f = v.failureOrNull();
        if (f == null) {
            return;
        }
        if (f.code() == ReasonCode.UNTRUSTED_ROOT) {
            notice(in.getFileName() + ": its root is not trusted in this home; whoever verifies the new token must trust it");
            return;
        }
        throw CliException.denied(f.code().code(), "cannot attenuate " + in.getFileName() + ": " + f.code().code() + ": " + f.detail());
    }
}
