package dev.moat.audit;

import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.identity.AgentKeypair;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Child JVM for {@link AuditWriterLockTest}: tries to open the log as a writer and append one
 * entry. Prints {@code opened} (exit 0) or {@code refused} (exit 3). Arguments: log path, base64 key
 * seed, and optionally {@code hold} (keep the log open until stdin closes).
 */
public final class AuditLockChild {
    private AuditLockChild() {}

    public static void main(String[] args) {
        AgentKeypair key = AgentKeypair.of("audit-log", Ed25519PrivateKey.fromSeed(Base64.getDecoder().decode(args[1])));
        try (AuditLog log = AuditLog.builder(JsonlAuditStore.builder(Path.of(args[0])).build(), key).checkpointEvery(10).open()) {
            log.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.START, "child writer", null));
            System.out.println("opened");
            System.out.flush();
            if (args.length > 2 && args[2].equals("hold")) {
                System.in.read(); // hold the lock until the parent closes our stdin
            }
        } catch (java.io.IOException e) {
            System.exit(4);
        } catch (AuditException e) {
            System.out.println("refused " + e.kind());
            System.out.flush();
            System.exit(3);
        }
    }
}
