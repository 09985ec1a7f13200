package dev.moat.cli;

import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditVerification;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.store.postgres.FleetAuditVerifier;
import dev.moat.store.postgres.FleetVerification;
import dev.moat.store.postgres.PostgresConfig;
import dev.moat.store.postgres.PostgresDatabase;
import dev.moat.store.postgres.PostgresStoreException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code moat audit verify --store postgres --url ... --user ...}: every replica's chain and
 * checkpoints in the fleet's tables. The password comes from {@code PGPASSWORD} only.
 */
final class AuditVerifyPostgres {
    private AuditVerifyPostgres() {}

    static int run(AuditVerify cmd, String url, String user, Map<String, Ed25519PublicKey> keys) {
        if (url == null) {
            throw CliException.usage("--store postgres needs --url jdbc:postgresql://host:port/database");
        }
        PostgresConfig.Builder b = PostgresConfig.builder(url).replica("moat-cli-verify");
        if (user != null) {
            b.user(user);
        }
        String password = cmd.cli().env().get("PGPASSWORD");
        if (password != null) {
            b.password(password);
        }
        FleetVerification fleet;
        try (PostgresDatabase db = PostgresDatabase.open(b.build())) {
            fleet = FleetAuditVerifier.verify(db.dataSource(), keys, cmd.strict);
        } catch (PostgresStoreException e) {
            throw e.kind() == PostgresStoreException.Kind.BAD_CONFIG ? CliException.usage(e.getMessage()) : CliException.io(e.getMessage());
        }
        if (fleet.replicas().isEmpty()) {
            throw CliException.denied("empty", "no audit chains in " + url + ": an empty log proves nothing")
                    .with("intact", false).with("kind", "empty");
        }
        Map<String, Object> replicas = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        String firstBroken = null;
        for (Map.Entry<String, AuditVerification> r : fleet.replicas().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (r.getValue() instanceof AuditVerification.Intact ok) {
                m.put("intact", true);
                m.put("entries", ok.entries());
                m.put("checkpointsVerified", ok.checkpointsVerified());
                m.put("uncheckpointedEntries", ok.uncheckpointedEntries());
                m.put("keyTrust", ok.keyTrust().name().toLowerCase(Locale.ROOT));
                text.append(String.format("  %-16s intact, %,d entries, %,d checkpoints, key %s%n", r.getKey(), ok.entries(),
                        ok.checkpointsVerified(), ok.keyTrust() == AuditVerification.KeyTrust.PROVIDED ? "provided" : "self-asserted"));
            } else {
                AuditVerification.Broken broken = (AuditVerification.Broken) r.getValue();
                AuditBreak br = broken.breakage();
                String kind = br.kind().name().toLowerCase(Locale.ROOT);
                m.put("intact", false);
                m.put("kind", kind);
                m.put("source", br.source().name().toLowerCase(Locale.ROOT));
                m.put("index", br.index());
                m.put("entriesVerified", broken.entriesVerified());
                String line = String.format("replica %s is broken at index %d: %s%s", r.getKey(), br.index(), kind,
                        br.detail().isEmpty() ? "" : " (" + br.detail() + ")");
                firstBroken = firstBroken == null ? line : firstBroken;
                text.append("  ").append(line).append('\n');
            }
            replicas.put(r.getKey(), m);
        }
        if (firstBroken != null) {
            throw CliException.denied("broken", "fleet audit in " + url + " is broken: " + firstBroken)
                    .with("intact", false).with("replicas", replicas);
        }
        if (cmd.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("intact", true);
            m.put("url", url);
            m.put("entries", fleet.entries());
            m.put("replicas", replicas);
            cmd.printJson(m);
            return ExitCodes.OK;
        }
        cmd.out().println(cmd.style().green("intact ") + "fleet audit in " + url + " (" + fleet.replicas().size() + " replicas, "
                + String.format("%,d", fleet.entries()) + " entries)");
        cmd.out().print(text);
        return ExitCodes.OK;
    }
}
