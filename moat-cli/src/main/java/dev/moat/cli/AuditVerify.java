package dev.moat.cli;

import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat audit verify --path audit.jsonl}, or {@code --store postgres --url ... --user ...} for a fleet. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify an audit log end to end: every entry's hash and link, every signed checkpoint, truncation",
            "and a torn last line. Names the first broken index and the kind of break. A missing log exits 3;",
            "an empty or damaged one exits 1."})
final class AuditVerify extends CliCommand {
    static final long PROGRESS_THRESHOLD = 100_000;

    @Option(names = "--path", paramLabel = "FILE", description = "The JSONL log (default: audit.jsonl in the home). Its .checkpoints and .key files sit beside it.")
    String path;

    @Option(names = "--key", paramLabel = "NAME|FILE",
            description = "The log's public key from a source you trust: an identity name in the home or a .pub file. "
                    + "Without it the log's own .key file is used (self-asserted).")
    String key;

    @Option(names = "--strict", description = "Also require a signed checkpoint covering the last entry (a cleanly closed log).")
    boolean strict;

    @Option(names = "--store", paramLabel = "KIND", defaultValue = "file",
            description = "Where the log is: file (default) or postgres (every replica's chain in one database; "
                    + "the password is read from PGPASSWORD, never from the command line).")
    String store;

    @Option(names = "--url", paramLabel = "JDBC_URL", description = "With --store postgres: jdbc:postgresql://host:port/database.")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "With --store postgres: the database user.")
    String user;

    @Option(names = "--replica-key", paramLabel = "REPLICA=NAME|FILE",
            description = "With --store postgres: a replica's log key from a source you trust (repeatable); "
                    + "replicas without one are checked against the key stored with them (self-asserted).")
    Map<String, String> replicaKeys;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress bar on stderr: ${COMPLETION-CANDIDATES} (auto: on a terminal, for logs over 100,000 entries).")
    Terminal.ColorMode progress;

    @Override
    protected int execute() throws IOException {
        if (store.equals("postgres")) {
            Map<String, dev.moat.crypto.Ed25519PublicKey> keys = new LinkedHashMap<>();
            if (replicaKeys != null) {
                replicaKeys.forEach((replica, k) -> keys.put(replica, trustedKey(k).publicKey()));
            }
            return AuditVerifyPostgres.run(this, url, user, keys);
        }
        if (!store.equals("file")) {
            throw CliException.usage("--store must be file or postgres");
        }
        Path log = AuditFiles.existing(path == null ? home().root().resolve("audit.jsonl") : resolve(path));
        if (Files.size(log) == 0) {
            throw CliException.denied("empty", "audit log " + log.getFileName() + " is empty: an empty log proves nothing")
                    .with("intact", false).with("kind", "empty");
        }
        AuditVerifier.Builder b = AuditVerifier.forFile(log);
        if (key != null) {
            b.publicKey(trustedKey(key).publicKey());
        }
        if (strict) {
            b.requireCheckpointAtHead();
        }
        ProgressBar bar = progressBar(log);
        if (bar != null) {
            b.progress(bar::update);
        }
        AuditVerification result = b.build().verify();
        if (bar != null) {
            bar.finish(result instanceof AuditVerification.Intact i ? i.entries() : ((AuditVerification.Broken) result).entriesVerified());
        }
        if (result instanceof AuditVerification.Broken broken) {
            throw broken(log, broken);
        }
        AuditVerification.Intact ok = (AuditVerification.Intact) result;
        boolean selfAsserted = ok.keyTrust() == AuditVerification.KeyTrust.SELF_ASSERTED;
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("intact", true);
            m.put("path", log.toString());
            m.put("entries", ok.entries());
            m.put("checkpointsVerified", ok.checkpointsVerified());
            m.put("uncheckpointedEntries", ok.uncheckpointedEntries());
            m.put("headHash", Base64Url.encode(ok.headHash()));
            m.put("keyTrust", ok.keyTrust().name().toLowerCase(Locale.ROOT));
            printJson(m);
            return ExitCodes.OK;
        }
        out().println(style().green("intact ") + show(log));
        out().printf("  entries      %,d%n", ok.entries());
        out().printf("  checkpoints  %,d verified%s%n", ok.checkpointsVerified(),
                ok.uncheckpointedEntries() == 0 ? ", the last one covers the head"
                        : String.format(", %,d entries after the last one (chained, not yet signed)", ok.uncheckpointedEntries()));
        out().println("  head hash    " + Base64Url.encode(ok.headHash()));
        out().println("  key          " + (selfAsserted
                ? "self-asserted (" + JsonlAuditStore.keyPath(log).getFileName() + "); pass --key to check against a key you hold"
                : "provided (--key " + key + ")"));
        return ExitCodes.OK;
    }

    private AgentIdentity trustedKey(String key) {
        Path asFile = resolve(key);
        if (key.endsWith(".pub") || key.contains("/") || Files.exists(asFile) && !Files.isDirectory(asFile)) {
            return IdentityImport.load(asFile);
        }
        return home().identity(key);
    }

    private ProgressBar progressBar(Path log) throws IOException {
        if (progress == Terminal.ColorMode.never || json() && progress != Terminal.ColorMode.always) {
            return null;
        }
        if (progress == Terminal.ColorMode.auto && !Terminal.stderrIsTerminal(cli().env())) {
            return null;
        }
        long total = AuditFiles.countLines(log);
        if (progress == Terminal.ColorMode.auto && total <= PROGRESS_THRESHOLD) {
            return null;
        }
        return new ProgressBar(err(), "verifying " + log.getFileName(), total);
    }

    private CliException broken(Path log, AuditVerification.Broken broken) {
        AuditBreak b = broken.breakage();
        String kind = b.kind().name().toLowerCase(Locale.ROOT);
        String where = switch (b.source()) {
            case LOG -> log.getFileName().toString();
            case CHECKPOINTS -> JsonlAuditStore.checkpointsPath(log).getFileName().toString();
            case KEY -> JsonlAuditStore.keyPath(log).getFileName().toString();
        };
        String message;
        if (b.kind() == AuditBreak.Kind.EMPTY) {
            message = "audit log " + log.getFileName() + " is empty: an empty log proves nothing";
        } else if (b.kind() == AuditBreak.Kind.MISSING) {
            message = "audit log " + log.getFileName() + ": " + where + " is missing (" + b.detail() + ")";
        } else {
            message = String.format("audit log %s is broken at index %d: %s in %s%s%s; %,d entries before it verified",
                    log.getFileName(), b.index(), kind, where, b.line() > 0 ? " line " + b.line() : "",
                    b.detail().isEmpty() ? "" : " (" + b.detail() + ")", broken.entriesVerified());
        }
        boolean io = b.kind() == AuditBreak.Kind.UNREADABLE || b.kind() == AuditBreak.Kind.MISSING && b.source() == AuditBreak.Source.LOG;
        CliException e = io ? CliException.io(message) : CliException.denied(kind, message);
        return e.with("intact", false).with("kind", kind).with("source", b.source().name().toLowerCase(Locale.ROOT))
                .with("index", b.index()).with("line", b.line()).with("entriesVerified", broken.entriesVerified());
    }
}
