package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.internal.Rejection;
import dev.moat.internal.TimeFormat;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditEntryCodecTest {

    /** The vector in AUDIT.md: computed here from hand-written bytes with the JDK's own SHA-256. */
    @Test
    void genesisEntryHashMatchesTheDocumentedBytes() throws Exception {
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0,
                new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.START, "boot", null), AuditEntry.genesisHash());
        String body = "{\"event\":{\"detail\":\"boot\",\"kind\":\"start\",\"type\":\"lifecycle\"},\"index\":0,"
                + "\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":\"2026-01-01T00:00:00Z\"}";
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("moat/v1/audit-entry".getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        byte[] expected = md.digest(body.getBytes(StandardCharsets.UTF_8));

        assertThat(e.hash()).isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(e.hash())).isEqualTo("856300595a562764bd8bdc1bac4a64d363becf378a96c9d07503b45eed93eb44");
        assertThat(e.toJsonLine()).isEqualTo("{\"event\":{\"detail\":\"boot\",\"kind\":\"start\",\"type\":\"lifecycle\"},"
                + "\"hash\":\"hWMAWVpWJ2S9i9wbrEpk02O-zzeKlsnQdQO0Xu2T60Q\",\"index\":0,"
                + "\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":\"2026-01-01T00:00:00Z\"}");
    }

    /** The decision vector in AUDIT.md and spec 15.1: the digest form, arguments mode {@code full}. */
    @Test
    void boundedDecisionEntryMatchesTheDocumentedBytes() throws Exception {
        byte[] args = "{\"to\":\"bob\"}".getBytes(StandardCharsets.UTF_8);
        byte[] chain = new byte[32];
        java.util.Arrays.fill(chain, (byte) 1);
        AuditEvent.Decision d = AuditEvent.Decision.forMessage("agent:alice", "tool://mail/send", "execute", true,
                null, null, null, "m-1", "header".getBytes(StandardCharsets.US_ASCII),
                Sha256.hash(Domain.PAYLOAD, args), chain, args, ArgumentsMode.FULL);
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, d, AuditEntry.genesisHash());
        String body = "{\"event\":{\"action\":\"execute\",\"agent\":\"agent:alice\",\"allowed\":true,"
                + "\"arguments\":\"{\\\"to\\\":\\\"bob\\\"}\",\"chainSha256\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\","
                + "\"headerSha256\":\"HgWEol2fQ79cvQrsAesa8iIO0IW05_GDew2JlYyuNTo\",\"messageId\":\"m-1\","
                + "\"payloadSha256\":\"yDNNn2vXPSNFdPv0NKY4eqN0CvuHxppBWOB02WTOBrY\",\"resource\":\"tool://mail/send\","
                + "\"type\":\"decision\"},\"index\":0,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                + "\"time\":\"2026-01-01T00:00:00Z\"}";
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("moat/v1/audit-entry".getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);

        assertThat(e.hash()).isEqualTo(md.digest(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(HexFormat.of().formatHex(e.hash())).isEqualTo("c61c77e28383dda74dcfe0addf56e577aba8dcf7dad5f9ccfbc4a2dbaafe9a75");
        assertThat(AuditEntry.parseLine(e.toJsonLine()).event()).isEqualTo(d);
    }

    /** The decision-with-user vector in AUDIT.md and spec 15.1: a denial for end user {@code alice}, mode {@code hash}. */
    @Test
    void decisionWithUserMatchesTheDocumentedBytes() throws Exception {
        AuditEvent.Decision d = new AuditEvent.Decision("agent:bot", "tool://inbox/bob/1", "read", false, "capability",
                "not_granted", null, "m-2").withUser("alice");
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, d, AuditEntry.genesisHash());
        String body = "{\"event\":{\"action\":\"read\",\"agent\":\"agent:bot\",\"allowed\":false,\"messageId\":\"m-2\","
                + "\"reasonCode\":\"not_granted\",\"resource\":\"tool://inbox/bob/1\",\"stage\":\"capability\","
                + "\"type\":\"decision\",\"user\":\"alice\"},\"index\":0,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                + "\"time\":\"2026-01-01T00:00:00Z\"}";
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("moat/v1/audit-entry".getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);

        assertThat(e.hash()).isEqualTo(md.digest(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(HexFormat.of().formatHex(e.hash())).isEqualTo(USER_VECTOR_HASH);
        assertThat(AuditEntry.parseLine(e.toJsonLine()).event()).isEqualTo(d);
    }

    private static final String USER_VECTOR_HASH = "6d1e9d4dba6f7a639f724f526b22735513a900264413eb53437cf50812ba6b19";

    /** The user is stored display-safe (controls and bidi overrides escaped) and bounded; absent stays absent. */
    @Test
    void theUserIsStoredEscapedAndBounded() {
        AuditEvent.Decision base = new AuditEvent.Decision("a", "r", "x", true, null, null, null, "m");
        assertThat(base.withUser("eve\u202e\u001b[2J").user()).isEqualTo("eve\\u202e\\u001b[2J");
        String huge = "u".repeat(10_000);
        String stored = base.withUser(huge).user();
        assertThat(stored).hasSize(AuditEvent.Decision.MAX_USER_CHARS).endsWith("\u2026");
        assertThat(base.withUser(null).user()).isNull();
        assertThat(base.withUser(null).fields()).doesNotContainKey("user");
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, base.withUser(huge), AuditEntry.genesisHash());
        assertThat(AuditEntry.parseLine(e.toJsonLine()).event()).isEqualTo(base.withUser(huge));
    }

    /** A trust store change round-trips with its fields. */
    @Test
    void trustEntriesRoundTrip() {
        AuditEvent.Trust t = new AuditEvent.Trust(AuditEvent.Trust.Change.DISTRUSTED, "agent:x", "ops", "/h/trusted_roots.json", null);
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, t, AuditEntry.genesisHash());
        assertThat(e.toJsonLine()).contains("{\"change\":\"distrusted\",\"name\":\"ops\",\"root\":\"agent:x\","
                + "\"source\":\"/h/trusted_roots.json\",\"type\":\"trust\"}");
        assertThat(AuditEntry.parseLine(e.toJsonLine()).event()).isEqualTo(t);
        assertThatThrownBy(() -> AuditEntry.parseLine(e.toJsonLine().replace("distrusted", "forgotten")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A legacy decision line (whole envelope in signedMessage) still parses and hashes as written. */
    @Test
    void legacySignedMessageDecisionStillParses() {
        AuditEvent.Decision old = new AuditEvent.Decision("agent:alice", "tool://pay", "invoke", false, "capability",
                "not_granted", "no", "m-1", "{\"body\":\"e30\",\"v\":1}");
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, old, AuditEntry.genesisHash());
        AuditEntry back = AuditEntry.parseLine(e.toJsonLine());
        assertThat(back.event()).isEqualTo(old);
        assertThat(((AuditEvent.Decision) back.event()).signedMessage()).isEqualTo("{\"body\":\"e30\",\"v\":1}");
        assertThat(back.hashIsValid()).isTrue();
    }

    @Test
    void explicitFalseTruncationFlagIsNotCanonical() {
        String line = AuditEntry.create(0, AuditFixtures.T0, new AuditEvent.Decision("a", "r", "x", true, null, null, null, "m"),
                AuditEntry.genesisHash()).toJsonLine().replace("\"allowed\":true,", "\"allowed\":true,\"argumentsTruncated\":false,");
        assertThatThrownBy(() -> AuditEntry.parseLine(line)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void genesisHashIsThirtyTwoZeroBytes() {
        assertThat(AuditEntry.genesisHash()).hasSize(32).containsOnly(0);
    }

    @Test
    void lineAndBodyAreTheCanonicalJsonOfTheFullMap() {
        byte[] prev = Sha256.hash("x".getBytes(StandardCharsets.UTF_8));
        for (AuditEvent ev : AuditFixtures.oneOfEach()) {
            AuditEntry e = AuditEntry.create(7, AuditFixtures.T0.plusMillis(123), ev, prev);
            Map<String, Object> event = new TreeMap<>(ev.fields());
            event.put("type", ev.type());
            Map<String, Object> body = new TreeMap<>();
            body.put("event", event);
            body.put("index", 7L);
            body.put("prev", Base64Url.encode(prev));
            body.put("time", TimeFormat.format(e.time()));
            assertThat(e.hash()).isEqualTo(Sha256.hash(Domain.AUDIT_ENTRY, CanonicalJson.encode(body)));
            body.put("hash", Base64Url.encode(e.hash()));
            assertThat(e.toJsonLine()).isEqualTo(CanonicalJson.encodeToString(body));
        }
    }

    @Test
    void everyEventTypeRoundTrips() {
        byte[] prev = AuditEntry.genesisHash();
        long i = 0;
        for (AuditEvent ev : AuditFixtures.oneOfEach()) {
            AuditEntry e = AuditEntry.create(i++, AuditFixtures.T0, ev, prev);
            byte[] line = e.toJsonLine().getBytes(StandardCharsets.UTF_8);
            AuditEntryCodec.Parsed p = AuditEntryCodec.parse(line, line.length);
            assertThat(p.entry()).isEqualTo(e);
            assertThat(p.computedHash()).isEqualTo(e.hash());
            assertThat(e.hashIsValid()).isTrue();
            prev = e.hash();
        }
    }

    @Test
    void nullFieldsAreLeftOut() {
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.STOP, null, null),
                AuditEntry.genesisHash());
        assertThat(e.toJsonLine()).startsWith("{\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\"},");
    }

    @Test
    void unpairedSurrogatesAreReplacedSoTheRecordRoundTrips() {
        AuditEvent.MonitorAlert a = new AuditEvent.MonitorAlert("a\uD800b", "r\uDC00", AuditEvent.MonitorAlert.Action.ALERT, "ok \uD83D\uDE00");
        assertThat(a.agent()).isEqualTo("a\uFFFDb");
        assertThat(a.rule()).isEqualTo("r\uFFFD");
        assertThat(a.detail()).isEqualTo("ok \uD83D\uDE00");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // whitespace
            "{\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\"}, \"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // explicit null
            "{\"event\":{\"detail\":null,\"kind\":\"stop\",\"type\":\"lifecycle\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // key order
            "{\"hash\":\"H\",\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\"},\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // unknown field
            "{\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\",\"x\":1},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // unknown type
            "{\"event\":{\"kind\":\"stop\",\"type\":\"nope\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // unknown enum value
            "{\"event\":{\"kind\":\"pause\",\"type\":\"lifecycle\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // negative index
            "{\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\"},\"hash\":\"H\",\"index\":-1,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // non-canonical time
            "{\"event\":{\"kind\":\"stop\",\"type\":\"lifecycle\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00.000Z\"}",
            // float
            "{\"event\":{\"durationMicros\":1.5,\"status\":\"ok\",\"type\":\"tool_outcome\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            // duplicate key
            "{\"event\":{\"kind\":\"stop\",\"kind\":\"stop\",\"type\":\"lifecycle\"},\"hash\":\"H\",\"index\":0,\"prev\":\"P\",\"time\":\"2026-01-01T00:00:00Z\"}",
            "not json", "", "[]", "{}"})
    void nonCanonicalOrInvalidLinesAreMalformed(String template) {
        String h = Base64Url.encode(new byte[32]);
        byte[] line = template.replace("\"H\"", "\"" + h + "\"").replace("\"P\"", "\"" + h + "\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AuditEntryCodec.parse(line, line.length))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.failure().code()).isEqualTo(ReasonCode.MALFORMED));
    }

    @Test
    void negativeNumbersInEventsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new AuditEvent.ToolOutcome(null, null, null, null, AuditEvent.ToolOutcome.Status.OK, null, null, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
