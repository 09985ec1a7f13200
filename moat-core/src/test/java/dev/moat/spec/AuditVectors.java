package dev.moat.spec;

import static dev.moat.spec.V.map;
import static dev.moat.spec.V.vector;

import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditEvent.Decision;
import dev.moat.audit.AuditEvent.Lifecycle;
import dev.moat.audit.AuditEvent.Revocation;
import dev.moat.audit.AuditEvent.ToolOutcome;
import dev.moat.audit.AuditEvent.Trust;
import dev.moat.crypto.Base64Url;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stored audit lines (PROTOCOL.md 15.1): one entry of every event type, every enum value and every
 * decision field, chained from the genesis hash; and lines a verifier must refuse (non-canonical
 * flags, an audit-only decision that was denied, unknown types, fields and enum values, a changed
 * byte under the stored hash). Each refused line is checked here to be refused by moat-core.
 */
final class AuditVectors {
    private AuditVectors() {}

    private static final String AGENT = Fixture.ALICE.id().value();

    static List<Map<String, Object>> all() {
        List<AuditEvent> events = new ArrayList<>();
        events.add(new Decision(AGENT, "tool://mail/send", "execute", true, null, null, null, "m-1",
                "HgWEol2fQ79cvQrsAesa8iIO0IW05_GDew2JlYyuNTo", "yDNNn2vXPSNFdPv0NKY4eqN0CvuHxppBWOB02WTOBrY",
                "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", "{\"to\":\"bo", true, null, "user-42 \u00fc", false));
        events.add(new Decision(AGENT, "tool://mail/send", "execute", true, "capability", "not_granted", "scope not granted",
                "m-2", null, null, null, null, false, null, null, true));
        events.add(new Decision(null, null, null, false, "router", "malformed", "x", null, null));
        for (ToolOutcome.Status status : ToolOutcome.Status.values()) {
            events.add(new ToolOutcome(AGENT, "tool://mail/send", "execute", "m-1", status, "r", status == ToolOutcome.Status.OK ? null : "e", 1234));
        }
        events.add(new AuditEvent.SandboxRun(AGENT, "m", null, 65536, 10, null, "fuel_exhausted"));
        events.add(new AuditEvent.SandboxRun(AGENT, "m", 99L, 65536, 10, -1, null));
        events.add(new AuditEvent.SecretResolution(AGENT, "h1", "s", true, null));
        for (AuditEvent.MonitorAlert.Action action : AuditEvent.MonitorAlert.Action.values()) {
            events.add(new AuditEvent.MonitorAlert(AGENT, "burst", action, "tab\there"));
        }
        for (Lifecycle.Kind kind : Lifecycle.Kind.values()) {
            events.add(new Lifecycle(kind, "d", kind == Lifecycle.Kind.CONFIG ? "c" : null));
        }
        for (Revocation.Change change : Revocation.Change.values()) {
            events.add(new Revocation(change, AGENT, "t-1", "revocations.json", "d"));
        }
        for (Trust.Change change : Trust.Change.values()) {
            events.add(new Trust(change, Fixture.ROOT.id().value(), "root", "trusted_roots", null));
        }
        List<Map<String, Object>> v = new ArrayList<>();
        byte[] prev = AuditEntry.genesisHash();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            AuditEntry e = AuditEntry.create(i, Fixture.NOW.plusMillis(i), events.get(i), prev);
            prev = e.hash();
            String line = e.toJsonLine();
            lines.add(line);
            String name = e.event().type() + "/" + i;
            v.add(vector("audit/" + name, "audit_line", "A stored line moat-core writes: parses, and its hash is the hash of its content.",
                    map("line", line), map("ok", true, "index", String.valueOf(i), "type", e.event().type(), "hash", Base64Url.encode(e.hash()))));
        }
        refuse(v, "would-deny-false", "wouldDeny is written only as true.", lines.get(1).replace("\"wouldDeny\":true", "\"wouldDeny\":false"));
        refuse(v, "truncated-false", "argumentsTruncated is written only as true.",
                lines.get(0).replace("\"argumentsTruncated\":true", "\"argumentsTruncated\":false"));
        refuse(v, "truncated-without-arguments", "argumentsTruncated needs the arguments.",
                lines.get(0).replace("\"arguments\":\"{\\\"to\\\":\\\"bo\",", ""));
        refuse(v, "would-deny-on-denied", "An audit-only decision is an allowed one.", lines.get(1).replace("\"allowed\":true", "\"allowed\":false"));
        refuse(v, "would-deny-without-stage", "An audit-only decision names the stage enforce mode would have denied at.",
                lines.get(1).replace("\"stage\":\"capability\",", ""));
        refuse(v, "unknown-type", "An event type this version does not know.", lines.get(2).replace("\"type\":\"decision\"", "\"type\":\"decisions\""));
        refuse(v, "unknown-field", "A field the event type does not have.", lines.get(2).replace("\"allowed\":false", "\"allowed\":false,\"bypass\":true"));
        String revocation = lines.stream().filter(l -> l.contains("\"type\":\"revocation\"")).findFirst().orElseThrow();
        refuse(v, "revocation-unknown-change", "A revocation change this version does not know.",
                revocation.replaceFirst("\"change\":\"[a-z]+\"", "\"change\":\"forgotten\""));
        String trust = lines.stream().filter(l -> l.contains("\"type\":\"trust\"")).findFirst().orElseThrow();
        refuse(v, "trust-without-change", "A trust entry names its change.", trust.replaceFirst("\"change\":\"[a-z]+\",", ""));
        refuse(v, "lifecycle-unknown-kind", "A lifecycle kind this version does not know.",
                lines.stream().filter(l -> l.contains("\"kind\":\"fleet_heads\"")).findFirst().orElseThrow()
                        .replace("\"kind\":\"fleet_heads\"", "\"kind\":\"fleet_tails\""));
        refuse(v, "detail-changed", "One changed character under the stored hash.", lines.get(2).replace("\"detail\":\"x\"", "\"detail\":\"y\""));
        refuse(v, "not-canonical", "A space between fields: not the canonical form.", lines.get(2).replace(",\"hash\"", ", \"hash\""));
        return v;
    }

    private static void refuse(List<Map<String, Object>> v, String name, String description, String line) {
        try {
            AuditEntry.parseLine(line);
            throw new IllegalStateException("moat-core accepts the refusal vector " + name + ": " + line);
        } catch (IllegalArgumentException expected) {
            // moat-core refuses it, as every implementation must
        }
        v.add(vector("audit/refused/" + name, "audit_line", description, map("line", line), map("ok", false)));
    }
}
