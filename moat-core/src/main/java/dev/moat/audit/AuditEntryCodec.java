package dev.moat.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.internal.TimeFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * The byte layout of entries. The hashed body is the canonical JSON
 * {@code {"event":E,"index":N,"prev":"P","time":"T"}}; the stored line is the canonical JSON
 * {@code {"event":E,"hash":"H","index":N,"prev":"P","time":"T"}}, that is the body with the hash
 * field inserted in key order. Both are assembled here from the canonical event text, and a test
 * checks them against {@link dev.moat.json.CanonicalJson} on the full map.
 */
final class AuditEntryCodec {
    private static final Set<String> LINE_FIELDS = Set.of("event", "hash", "index", "prev", "time");

    private AuditEntryCodec() {}

    /** The body's two halves: {@code {"event":E,} and {@code "index":N,"prev":"P","time":"T"}}. */
    private record Parts(String head, String tail) {
        String body() {
            return head + tail;
        }

        String line(byte[] hash) {
            return head + "\"hash\":\"" + Base64Url.encode(hash) + "\"," + tail;
        }
    }

    private static Parts parts(long index, Instant time, AuditEvent event, byte[] prev) {
        String head = "{\"event\":" + AuditEventCodec.canonical(event) + ",";
        String tail = "\"index\":" + index + ",\"prev\":\"" + Base64Url.encode(prev) + "\",\"time\":\"" + TimeFormat.format(time) + "\"}";
        return new Parts(head, tail);
    }

    /** The exact bytes that are hashed for an entry. */
    static byte[] body(long index, Instant time, AuditEvent event, byte[] prev) {
        return parts(index, time, event, prev).body().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hash(long index, Instant time, AuditEvent event, byte[] prev) {
        return Sha256.hash(Domain.AUDIT_ENTRY, body(index, time, event, prev));
    }

    /**
     * The last entry this thread created with {@link #create}, and its line: an append creates the
     * entry and then hands it to the store on the same thread, so the store's {@link #lineBytes}
     * reuses the encoding instead of redoing it. Matched by identity, so it can never return the
     * line of another entry.
     */
    private static final int CACHED_LINE_LIMIT = 64 * 1024;
    private static final ThreadLocal<Object[]> LAST_CREATED = ThreadLocal.withInitial(() -> new Object[2]);

    /** Creates the entry that follows {@code prev} (hashing its body) and remembers its line. */
    static AuditEntry create(long index, Instant time, AuditEvent event, byte[] prev) {
        Parts p = parts(index, time, event, prev);
        byte[] hash = Sha256.hash(Domain.AUDIT_ENTRY, p.body().getBytes(StandardCharsets.UTF_8));
        AuditEntry e = new AuditEntry(index, time, event, prev, hash);
        byte[] line = (p.line(hash) + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length <= CACHED_LINE_LIMIT) { // don't pin large lines to pooled threads
            Object[] last = LAST_CREATED.get();
            last[0] = e;
            last[1] = line;
        }
        return e;
    }

    static String lineString(AuditEntry e) {
        return parts(e.index(), e.time(), e.event(), e.previousHashRef()).line(e.hashRef());
    }

    /** The line plus its terminating newline, as UTF-8. */
    static byte[] lineBytes(AuditEntry e) {
        Object[] last = LAST_CREATED.get();
        if (last[0] == e) {
            last[0] = null;
            byte[] line = (byte[]) last[1];
            last[1] = null;
            return line;
        }
        return (lineString(e) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An entry read from a line, and the hash its content actually has. */
    record Parsed(AuditEntry entry, byte[] computedHash) {}

    /**
     * Parses one line (without its newline), requires it to be exactly the canonical encoding, and
     * recomputes the hash of its content. Throws {@link Rejection} when the line is malformed.
     */
    static Parsed parse(byte[] line, int length) {
        byte[] bytes = length == line.length ? line : Arrays.copyOf(line, length);
        ObjectNode node = StrictJson.parseObject(bytes, AuditEntry.MAX_LINE_BYTES, "audit entry");
        JsonFields f = JsonFields.of(node, "audit entry", LINE_FIELDS);
        long index = f.integer("index");
        if (index < 0) {
            throw Rejection.malformed("audit entry: negative index");
        }
        Instant time;
        try {
            time = TimeFormat.parse(f.string("time"));
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("audit entry: field 'time' is not an RFC 3339 UTC time");
        }
        byte[] prev = f.bytes("prev", Sha256.LENGTH);
        byte[] hash = f.bytes("hash", Sha256.LENGTH);
        AuditEvent event = AuditEventCodec.parse(f.node("event"));
        AuditEntry entry = new AuditEntry(index, time, event, prev, hash);
        Parts p = parts(index, entry.time(), event, prev);
        if (!Arrays.equals(p.line(hash).getBytes(StandardCharsets.UTF_8), bytes)) {
            throw Rejection.malformed("audit entry: not in canonical form");
        }
        byte[] computed = Sha256.hash(Domain.AUDIT_ENTRY, p.body().getBytes(StandardCharsets.UTF_8));
        return new Parsed(entry, computed);
    }
}
