package dev.moat.scenario;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.OffsetClock;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import dev.moat.replay.FileSequenceStore;
import dev.moat.token.AttenuationException;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The original Moat's scripted multi-agent pipeline, played against the real components: a
 * coordinator (the only trusted root) delegates narrower capabilities to a reviewer, a tester and
 * a deployer. In-scope calls pass; out-of-scope, broadened, forged, replayed, bearer, expired and
 * revoked attempts are denied with their reasons; the audit log (JSONL under {@code home}) is
 * verified at the end.
 */
public final class DelegationScenario {
    private final Path home;
    private final OffsetClock clock = new OffsetClock(Clock.systemUTC());
    private final List<ScenarioStep> steps = new ArrayList<>();
    private final Consumer<ScenarioStep> out;

    private DelegationScenario(Path home, Consumer<ScenarioStep> out) {
        this.home = home;
        this.out = out;
    }

    /** Runs the scenario with its state under {@code home}; each step is also passed to {@code out}. */
    public static ScenarioReport run(Path home, Consumer<ScenarioStep> out) {
        return new DelegationScenario(home, out).play();
    }

    private ScenarioReport play() {
        AgentKeypair coordinator = AgentKeypair.generate("coordinator");
        AgentKeypair reviewer = AgentKeypair.generate("reviewer");
        AgentKeypair tester = AgentKeypair.generate("tester");
        AgentKeypair deployer = AgentKeypair.generate("deployer");
        AgentKeypair rogue = AgentKeypair.generate("rogue");
        AgentKeypair auditKey = AgentKeypair.generate("moat-audit");

        TokenChain root = TokenChain.issue(coordinator, Grant.to(coordinator.id()).clock(clock)
                .allow("tool://repo/**", "read", "write", "execute", "deploy")
                .deny("tool://repo/secrets/**", "*")
                .limits(ResourceLimits.builder().maxFuel(10_000_000L).maxMemoryBytes(64L << 20).build())
                .validFor(Duration.ofHours(1)).build());
        TokenChain reviewerCap = root.delegate(coordinator, Grant.to(reviewer.id()).clock(clock)
                .allow("tool://repo/**", "read").validFor(Duration.ofMinutes(30)).build());
        TokenChain testerCap = root.delegate(coordinator, Grant.to(tester.id()).clock(clock)
                .allow("tool://repo/tests/**", "read", "execute").validFor(Duration.ofMinutes(2)).build());
        TokenChain deployerCap = root.delegate(coordinator, Grant.to(deployer.id()).clock(clock)
                .allow("tool://repo/deploy/*", "deploy")
                .limits(ResourceLimits.builder().maxFuel(1_000_000L).maxMemoryBytes(16L << 20).build())
                .validFor(Duration.ofMinutes(30)).build());
        TokenChain rogueSelfIssued = TokenChain.issue(rogue, Grant.to(rogue.id()).clock(clock)
                .allow("tool://repo/**", "deploy").validFor(Duration.ofMinutes(5)).build());

        Path auditPath = home.resolve("audit.jsonl");
        AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(auditPath).durability(Durability.everyEntry()).build(), auditKey)
                .clock(clock).open();
        try (Moat moat = Moat.builder().clock(clock)
                .agent(coordinator).agent(reviewer).agent(tester).agent(deployer).agent(rogue)
                .trustRoot("coordinator")
                .capability("reviewer", reviewerCap).capability("tester", testerCap)
                .capability("deployer", deployerCap).capability("rogue", rogueSelfIssued)
                .sequenceStore(FileSequenceStore.open(home.resolve("replay")))
                .auditLog(audit)
                .build()) {
            var guard = moat.guard();
            call(guard, "reviewer reads the source", "reviewer", "read", "tool://repo/src/main.rs", null);
            call(guard, "tester runs the unit tests", "tester", "execute", "tool://repo/tests/unit", null);
            call(guard, "deployer deploys to staging", "deployer", "deploy", "tool://repo/deploy/staging", null);
            call(guard, "reviewer tries to write (out of scope)", "reviewer", "write", "tool://repo/src/main.rs", ReasonCode.NOT_GRANTED);
            call(guard, "reviewer reads a secret (inherited denial)", "reviewer", "read", "tool://repo/secrets/api-key", ReasonCode.EXPLICITLY_DENIED);
            call(guard, "reviewer walks out with ../ (traversal)", "reviewer", "read", "tool://repo/src/../secrets/api-key", ReasonCode.INVALID_RESOURCE);
            broadening(reviewer, reviewerCap, tester);
            call(guard, "rogue self-issues a deploy token (forged root)", "rogue", "deploy", "tool://repo/deploy/prod", ReasonCode.UNTRUSTED_ROOT);

            MessageSigner reviewerSigner = new MessageSigner(reviewer, reviewerCap, clock, moat.pep().audience());
            MessageEnvelope once = reviewerSigner.sign(dev.moat.guard.Guard.RECIPIENT, "tool://repo/README.md", "read",
                    "{}".getBytes(StandardCharsets.UTF_8), moat.pep().activePolicy());
            step("reviewer reads the README", "reviewer", "read", "tool://repo/README.md", moat.pep().evaluate(once), null);
            step("attacker replays that exact message", "reviewer", "read", "tool://repo/README.md", moat.pep().evaluate(once), ReasonCode.REPLAY);

            MessageSigner thief = new MessageSigner(tester, reviewerCap, clock, moat.pep().audience());
            step("tester presents the reviewer's token (bearer use)", "tester", "read", "tool://repo/src/main.rs", moat.pep().evaluate(thief.sign(dev.moat.guard.Guard.RECIPIENT,
                    "tool://repo/src/main.rs", "read", new byte[0], moat.pep().activePolicy())), ReasonCode.NOT_SUBJECT);

            clock.advance(Duration.ofMinutes(3));
            call(guard, "tester runs tests after its token expired", "tester", "execute", "tool://repo/tests/unit", ReasonCode.EXPIRED);

            moat.registry().revokeAgent(deployer.id());
            call(guard, "deployer deploys after being revoked", "deployer", "deploy", "tool://repo/deploy/prod", ReasonCode.REVOKED);
        }
        AuditVerification verification = AuditVerifier.forFile(auditPath).publicKey(auditKey.publicKey()).build().verify();
        return new ScenarioReport(List.copyOf(steps), auditPath, verification);
    }

    private void broadening(AgentKeypair reviewer, TokenChain reviewerCap, AgentKeypair tester) {
        String title = "reviewer delegates write access it does not have";
        try {
            reviewerCap.delegate(reviewer, Grant.to(tester.id()).clock(clock).allow("tool://repo/**", "read", "write")
                    .validFor(Duration.ofMinutes(5)).build());
            add(new ScenarioStep(steps.size() + 1, title, "reviewer", "delegate", "tool://repo/**", true, null, null,
                    "delegation was accepted", false));
        } catch (AttenuationException e) {
            add(new ScenarioStep(steps.size() + 1, title, "reviewer", "delegate", "tool://repo/**", false, "delegation",
                    ReasonCode.BROADENED, "refused by construction: rule '" + e.rule() + "'", "actions".equals(e.rule())));
        }
    }

    private void call(dev.moat.guard.Guard guard, String title, String agent, String action, String resource, ReasonCode expected) {
        step(title, agent, action, resource, guard.check(ToolCall.builder(agent, resource, action).build()), expected);
    }

    private void step(String title, String agent, String action, String resource, Decision d, ReasonCode expected) {
        if (d instanceof Decision.Allow) {
            add(new ScenarioStep(steps.size() + 1, title, agent, action, resource, true, null, null, "allowed", expected == null));
        } else {
            Decision.Deny deny = (Decision.Deny) d;
            add(new ScenarioStep(steps.size() + 1, title, agent, action, resource, false, deny.stage().code(), deny.code(),
                    deny.failure().detail(), deny.code() == expected));
        }
    }

    private void add(ScenarioStep s) {
        steps.add(s);
        out.accept(s);
    }
}
