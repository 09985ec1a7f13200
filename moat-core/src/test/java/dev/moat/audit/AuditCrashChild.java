package dev.moat.audit;

import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.identity.AgentKeypair;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Child JVM for {@link AuditCrashTest}: appends forever and prints {@code ack <index>} after each
 * append returns, until it is killed. Arguments: log path, {@code every} or {@code batched},
 * base64 key seed.
 */
public final class AuditCrashChild {
    private AuditCrashChild() {}

    public static void main(String[] args) {
        Path log = Path.of(args[0]);
        Durability d = args[1].equals("every") ? Durability.everyEntry() : Durability.batched(64, Duration.ofMillis(5));
        AgentKeypair key = AgentKeypair.of("audit-log", Ed25519PrivateKey.fromSeed(Base64.getDecoder().decode(args[2])));
        PrintStream out = System.out;
        AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(log).durability(d).repairTornTail().build(), key)
                .checkpointEvery(50).open();
        String pad = "p".repeat(Integer.parseInt(args[3]));
        for (long i = 0; ; i++) {
            AuditEntry e = audit.append(new AuditEvent.Decision("agent:child", "tool://loop", "invoke", i % 3 != 0, "pep3",
                    null, pad, "m-" + i, null));
            out.println("ack " + e.index());
            out.flush();
        }
    }
}
