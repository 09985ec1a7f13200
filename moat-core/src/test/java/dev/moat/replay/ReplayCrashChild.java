package dev.moat.replay;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.guard.Guard;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import dev.moat.policy.PolicyBinding;
import dev.moat.relay.RouterLimits;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Child JVM for {@link ReplayCrashTest}: the production file configuration (journal without an
 * fsync per call, batched audit) guarding calls on two threads until it is killed. Thread
 * {@code alpha} signs, prints {@code env <wire>} and only then hands the envelope to the PEP
 * (in-process fast path), printing {@code ok <message id>} once allowed; thread {@code beta} runs
 * {@code Guard.call} and prints {@code env} and {@code ok} after each completed call. Argument:
 * the home directory. Keys are fixed, so every life (and the test) is the same Moat.
 */
public final class ReplayCrashChild {
    static final PolicyBinding POLICY = PolicyBinding.of("crash-test", "policy".getBytes(StandardCharsets.UTF_8));
    static final String AUDIENCE = "pep-crash";

    private ReplayCrashChild() {}

    static AgentKeypair key(String name) {
        byte[] seed = new byte[32];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, seed, 0, n.length);
        return AgentKeypair.of(name, Ed25519PrivateKey.fromSeed(seed));
    }

    /** The Moat every life and the test open over {@code home}. */
    static Moat open(Path home) {
        return open(home, FileSequenceStore.open(home.resolve("replay")));
    }

    static Moat open(Path home, FileSequenceStore replay) {
        AgentKeypair root = key("root");
        AgentKeypair alpha = key("alpha");
        AgentKeypair beta = key("beta");
        TokenChain a = TokenChain.issue(root, Grant.to(alpha.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        TokenChain b = TokenChain.issue(root, Grant.to(beta.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(home.resolve("audit.jsonl"))
                .durability(Durability.batched(64, Duration.ofMillis(50))).repairTornTail().build(), key("audit")).open();
        return Moat.builder().agent(root).agent(alpha).agent(beta).trustRoot("root").capability("alpha", a).capability("beta", b)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .policy(POLICY).audience(AUDIENCE)
                .sequenceStore(replay).auditLog(audit).build();
    }

    public static void main(String[] args) throws Exception {
        Moat moat = open(Path.of(args[0]));
        PrintStream out = System.out;
        Guard guard = moat.guard();
        MessageSigner alpha = guard.signer("alpha").orElseThrow();
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        Thread direct = new Thread(() -> {
            for (long i = 0; ; i++) {
                MessageEnvelope env = alpha.sign(Guard.RECIPIENT, "tool://direct", "run", body, moat.pep().activePolicy());
                emit(out, "env " + env.toJson());
                Decision d = moat.pep().evaluate(env, alpha);
                if (d instanceof Decision.Allow allow) {
                    emit(out, "ok " + allow.message().id());
                } else {
                    emit(out, "denied " + ((Decision.Deny) d).code().code());
                }
            }
        });
        Thread called = new Thread(() -> {
            ToolCall call = ToolCall.builder("beta", "tool://called", "run").arguments(body).build();
            for (long i = 0; ; i++) {
                GuardedCall<String> r = guard.call(call, () -> "done");
                if (r instanceof GuardedCall.Completed<String> c) {
                    emit(out, "env " + c.decision().message().envelope().toJson());
                    emit(out, "ok " + c.decision().message().id());
                } else {
                    emit(out, "denied " + r);
                }
            }
        });
        direct.start();
        called.start();
        direct.join();
    }

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
