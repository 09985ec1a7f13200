import dev.moat.crypto.Domain;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.message.MessageVerifier;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The Java side of moat-js/bench/verify.mjs: the same operations with the same setup as
 * moat-bench's TokenBenchmark.tokenVerify and MessageBenchmark.messageVerifyWire, measured the same
 * way (3 warm-up and 5 measured iterations of 2 s), reporting wall-clock and this thread's CPU time
 * per operation (CPU time stays meaningful when other processes share the cores). Run with the
 * benchmark jar on the class path:
 *   java -cp moat-bench/target/benchmarks.jar moat-js/bench/VerifyHarness.java
 */
public class VerifyHarness {
    static final long ITER_NS = Long.getLong("bench.iterMs", 2000) * 1_000_000L;
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static int sink;

    public static void main(String[] args) {
        AgentKeypair issuer = AgentKeypair.generate("coordinator");
        Grant grant = Grant.to(AgentKeypair.generate("worker").id())
                .allow("tool://analyze", "read", "execute")
                .deny("tool://analyze/secrets/**", "*")
                .limits(ResourceLimits.builder().maxFuel(1_000_000L).build())
                .validFor(Duration.ofHours(1)).build();
        TokenChain chain = TokenChain.issue(issuer, grant);
        TokenVerifier verifier = TokenVerifier.builder().trustRoot(issuer.id()).build();
        verifier.verify(chain).orThrow();
        byte[] tokenFramed = Domain.TOKEN.frame(chain.links().get(0).payload());
        byte[] tokenSig = chain.links().get(0).signature();
        byte[] issuerKey = issuer.publicKey().bytes();

        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain mchain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofMinutes(30)).build());
        MessageSigner signer = new MessageSigner(worker, mchain);
        MessageVerifier messages = new MessageVerifier();
        PolicyBinding policy = PolicyBinding.of("bench", "policy".getBytes(StandardCharsets.UTF_8));
        byte[] body = new byte[256];
        Arrays.fill(body, (byte) 'x');
        MessageEnvelope env = signer.sign("moat:guard", "tool://analyze", "read", body, policy);
        byte[] wire = env.encode();
        messages.verify(wire).orThrow();
        byte[] headerFramed = Domain.MESSAGE.frame(env.header());
        byte[] senderKey = worker.publicKey().bytes();
        byte[] headerSig = java.util.Base64.getUrlDecoder().decode(env.toJson().replaceAll(".*\"sig\":\"([^\"]+)\".*", "$1"));

        System.out.println("java " + System.getProperty("java.version") + ", " + ITER_NS / 1_000_000 + " ms iterations, 3 warm-up + 5 measured");
        measure("raw Ed25519 verify (token bytes)", () -> Ed25519.verify(tokenSig, 0, issuerKey, 0, tokenFramed, 0, tokenFramed.length));
        measure("token verify (one-link chain)", () -> verifier.verify(chain).isOk());
        measure("raw Ed25519 verify (header bytes)", () -> Ed25519.verify(headerSig, 0, senderKey, 0, headerFramed, 0, headerFramed.length));
        measure("message verify (wire, 256 B body)", () -> messages.verify(wire).isOk());
        System.out.println(sink == 42 ? "" : "");
    }

    static void measure(String name, BooleanSupplier op) {
        for (int i = 0; i < 3; i++) {
            iteration(op);
        }
        double[] wall = new double[5];
        double[] cpu = new double[5];
        for (int i = 0; i < 5; i++) {
            double[] r = iteration(op);
            wall[i] = r[0];
            cpu[i] = r[1];
        }
        System.out.printf("%-34s %9.2f ± %.2f µs/op wall  %8.2f ± %.2f µs/op cpu  %7d ops/s (cpu)%n", name, mean(wall), sd(wall), mean(cpu), sd(cpu),
                Math.round(1e6 / mean(cpu)));
    }

    static double[] iteration(BooleanSupplier op) {
        long n = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + ITER_NS;
        long now = start;
        while (now < end) {
            for (int i = 0; i < 64; i++) {
                sink ^= op.getAsBoolean() ? 1 : 0;
            }
            n += 64;
            now = System.nanoTime();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new double[] {(now - start) / 1000.0 / n, cpu / 1000.0 / n};
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }
}
