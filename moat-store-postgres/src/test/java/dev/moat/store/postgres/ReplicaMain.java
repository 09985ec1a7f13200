package dev.moat.store.postgres;

import dev.moat.Moat;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of the test fleet, as a child JVM: {@code <url> <user> <replica> <threads> <calls per thread> <envelopes file>}
 * with the password in {@code PGPASSWORD}. Prints {@code ready}, then obeys stdin:
 * {@code go} runs the threads (each: guarded calls as this replica's own agent, interleaved with
 * evaluating the shared envelopes in the order given), printing {@code ok <message id>} for every
 * completed call (after it returned, so its decision is durable), {@code env <i> allow} or
 * {@code env <i> deny <code>}, then one of its own signed messages as {@code own <base64>} and
 * {@code done}; {@code replay <base64>} evaluates a message and prints {@code replayed <allow|code>};
 * {@code revoke-agent <id>} revokes an agent fleet-wide through this replica's {@code Moat.sharedTrust()}
 * and prints {@code revoked <added>}; {@code probe} makes one guarded call and prints
 * {@code probe allow} or {@code probe <code> <detail>};
 * {@code quit} closes Moat (final checkpoint) and exits. {@code calls} 0 means "until killed".
 */
public final class ReplicaMain {
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    private ReplicaMain() {}

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String replica = args[2];
        int threads = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        List<byte[]> envelopes = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(args[5]))) {
            if (!l.isBlank()) {
                envelopes.add(Base64.getDecoder().decode(l));
            }
        }
        PostgresConfig config = PostgresConfig.builder(url).user(user).password(System.getenv("PGPASSWORD")).replica(replica)
                .poolSize(threads + 2).connectTimeout(java.time.Duration.ofSeconds(10)).queryTimeout(java.time.Duration.ofSeconds(3)).build();
        String agent = "worker-" + replica;
        Moat moat = Fleet.moat(PostgresStores.open(config), replica, agent, 1_000_000);
        say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String cmd;
        while ((cmd = in.readLine()) != null) {
            if (cmd.equals("go")) {
                run(moat, agent, threads, calls, envelopes);
                MessageSigner own = new MessageSigner(Fleet.key(agent), Fleet.chain(Fleet.key("root"), Fleet.key(agent)), Fleet.AUDIENCE);
                byte[] wire = own.sign(dev.moat.guard.Guard.RECIPIENT, Fleet.RESOURCE, "read", new byte[0], moat.pep().activePolicy()).encode();
                Decision d = moat.pep().evaluate(wire);
                if (d instanceof Decision.Allow) {
                    say("own " + Base64.getEncoder().encodeToString(wire));
                }
                say("done");
            } else if (cmd.startsWith("replay ")) {
                Decision d = moat.pep().evaluate(Base64.getDecoder().decode(cmd.substring(7)));
                say("replayed " + (d instanceof Decision.Deny deny ? deny.code().code() : "allow"));
            } else if (cmd.startsWith("revoke-agent ")) { // through this replica's API: fleet-wide
                boolean added = moat.sharedTrust().orElseThrow().revokeAgent(dev.moat.identity.AgentId.parse(cmd.substring(13)));
                say("revoked " + added);
            } else if (cmd.equals("probe")) { // one guarded call as this replica's own agent
                ToolCall call = ToolCall.builder(agent, Fleet.RESOURCE, "read").arguments("{\"probe\":true}").build();
                GuardedCall<String> r = moat.guard().call(call, allow -> "ran");
                say("probe " + (r instanceof GuardedCall.Denied<String> d
                        ? d.decision().code().code() + " " + d.decision().failure().detail() : r instanceof GuardedCall.Completed ? "allow" : "failed"));
            } else if (cmd.equals("quit")) {
                moat.close();
                say("closed");
                return;
            }
        }
    }

    private static void run(Moat moat, String agent, int threads, int calls, List<byte[]> envelopes) throws InterruptedException {
        AtomicInteger nextEnvelope = new AtomicInteger();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int k = 0; calls == 0 || k < calls; k++) {
                    ToolCall call = ToolCall.builder(agent, Fleet.RESOURCE, "read").arguments("{\"k\":" + k + "}").build();
                    GuardedCall<String> r = moat.guard().call(call, allow -> allow.message().id());
                    if (r instanceof GuardedCall.Completed<String> c) {
                        say("ok " + c.value());
                    } else if (r instanceof GuardedCall.Denied<String> d) {
                        say("denied " + d.decision().code().code() + " " + d.decision().failure().detail());
                    } else {
                        say("failed " + r);
                    }
                    int i = nextEnvelope.getAndIncrement();
                    if (i < envelopes.size()) {
                        Decision d = moat.pep().evaluate(envelopes.get(i));
                        say("env " + i + (d instanceof Decision.Deny deny ? " deny " + deny.code().code() : " allow"));
                    }
                }
            }, "call-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
    }
}
