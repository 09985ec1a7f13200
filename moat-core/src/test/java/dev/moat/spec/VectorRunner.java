package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.internal.TimeFormat;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.message.MessageLimits;
import dev.moat.message.MessageVerifier;
import dev.moat.token.ResourcePattern;
import dev.moat.token.Resources;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Runs one vector of any kind; see spec/vectors/README.md for the format. */
final class VectorRunner {
    private VectorRunner() {}

    static void run(JsonNode vector) {
        JsonNode in = vector.get("input");
        JsonNode ex = vector.get("expect");
        switch (vector.get("kind").textValue()) {
            case "agent_id" -> assertThat(AgentId.of(key(in.get("public_key"))).value()).isEqualTo(ex.get("id").textValue());
            case "signature" -> {
                Ed25519PrivateKey k = Ed25519PrivateKey.fromSeed(bytes(in.get("seed")));
                assertThat(k.publicKey().toBase64Url()).isEqualTo(ex.get("public_key").textValue());
                assertThat(Base64Url.encode(k.sign(domain(in), bytes(in.get("message"))))).isEqualTo(ex.get("signature").textValue());
            }
            case "verify" -> assertThat(key(in.get("public_key")).verify(domain(in), bytes(in.get("message")), bytes(in.get("signature"))))
                    .isEqualTo(ex.get("valid").booleanValue());
            case "hash" -> assertThat(Base64Url.encode(Sha256.hash(domain(in), bytes(in.get("message")))))
                    .isEqualTo(ex.get("sha256").textValue());
            case "base64url" -> base64url(in.get("text").textValue(), ex);
            case "time" -> time(in.get("text").textValue(), ex);
            case "resource" -> assertThat(Resources.isValid(in.get("resource").textValue())).isEqualTo(ex.get("valid").booleanValue());
            case "pattern" -> pattern(in.get("pattern").textValue(), ex.get("valid").booleanValue());
            case "match" -> {
                assertThat(Resources.isValid(in.get("resource").textValue())).as("resource is valid").isTrue();
                assertThat(ResourcePattern.parse(in.get("pattern").textValue()).matches(in.get("resource").textValue()))
                        .isEqualTo(ex.get("matches").booleanValue());
            }
            case "covers" -> assertThat(ResourcePattern.parse(in.get("broader").textValue())
                    .covers(ResourcePattern.parse(in.get("narrower").textValue()))).isEqualTo(ex.get("covers").booleanValue());
            case "canonical_json" -> canonicalJson(in, ex);
            case "chain" -> ChainVectorRunner.run(in, ex);
            case "message" -> message(in, ex);
            case "audit_line" -> auditLine(in.get("line").textValue(), ex);
            default -> throw new AssertionError("unknown vector kind " + vector.get("kind"));
        }
    }

    private static void auditLine(String line, JsonNode ex) {
        if (!ex.get("ok").booleanValue()) {
            assertThatThrownBy(() -> dev.moat.audit.AuditEntry.parseLine(line)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        dev.moat.audit.AuditEntry e = dev.moat.audit.AuditEntry.parseLine(line);
        assertThat(String.valueOf(e.index())).isEqualTo(ex.get("index").textValue());
        assertThat(e.event().type()).isEqualTo(ex.get("type").textValue());
        assertThat(Base64Url.encode(e.hash())).isEqualTo(ex.get("hash").textValue());
        assertThat(e.toJsonLine()).as("written again byte for byte").isEqualTo(line);
    }

    private static byte[] bytes(JsonNode n) {
        return Base64Url.decode(n.textValue());
    }

    private static Ed25519PublicKey key(JsonNode n) {
        return Ed25519PublicKey.of(bytes(n));
    }

    private static Domain domain(JsonNode in) {
        String tag = in.get("domain").textValue();
        for (Domain d : Domain.values()) {
            if (d.tag().equals(tag)) {
                return d;
            }
        }
        throw new AssertionError("unknown domain " + tag);
    }

    private static void base64url(String text, JsonNode ex) {
        if (ex.get("ok").booleanValue()) {
            assertThat(HexFormat.of().formatHex(Base64Url.decode(text))).isEqualTo(ex.get("hex").textValue());
        } else {
            assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void time(String text, JsonNode ex) {
        if (ex.get("ok").booleanValue()) {
            assertThat(TimeFormat.parse(text).toEpochMilli()).isEqualTo(ex.get("epoch_ms").longValue());
        } else {
            assertThatThrownBy(() -> TimeFormat.parse(text)).isInstanceOf(RuntimeException.class);
        }
    }

    private static void pattern(String text, boolean valid) {
        if (valid) {
            assertThat(ResourcePattern.parse(text).text()).isEqualTo(text);
        } else {
            assertThatThrownBy(() -> ResourcePattern.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void canonicalJson(JsonNode in, JsonNode ex) {
        byte[] text = in.has("json_b64") ? bytes(in.get("json_b64")) : in.get("json").textValue().getBytes(StandardCharsets.UTF_8);
        boolean object = in.path("object").booleanValue();
        java.util.function.Function<byte[], byte[]> canonicalise = b -> object
                ? CanonicalJson.canonicaliseObject(b, JsonLimits.DEFAULT) : CanonicalJson.canonicalise(b, JsonLimits.DEFAULT);
        if (ex.get("ok").booleanValue()) {
            byte[] expected = ex.get("canonical").textValue().getBytes(StandardCharsets.UTF_8);
            assertThat(new String(canonicalise.apply(text), StandardCharsets.UTF_8)).isEqualTo(ex.get("canonical").textValue());
            assertThat(canonicalise.apply(expected)).as("the canonical form is its own canonical form").isEqualTo(expected);
            if (in.has("json")) { // the same text given as a Java string (no UTF-8 step) agrees
                String s = in.get("json").textValue();
                assertThat(object ? CanonicalJson.canonicaliseObject(s, JsonLimits.DEFAULT) : CanonicalJson.canonicalise(s, JsonLimits.DEFAULT))
                        .isEqualTo(expected);
            }
        } else {
            assertThatThrownBy(() -> canonicalise.apply(text)).isInstanceOfSatisfying(CanonicalJsonException.class,
                    e -> assertThat(e.problem().code()).isEqualTo(ex.get("error").textValue()));
        }
    }

    private static void message(JsonNode in, JsonNode ex) {
        JsonNode l = in.get("limits");
        MessageLimits limits = new MessageLimits(l.get("max_body_bytes").intValue(), l.get("max_envelope_bytes").intValue(),
                ChainVectorRunner.tokenLimits(l));
        Checked<AuthenticatedMessage> result = new MessageVerifier(limits).verify(in.get("message").textValue().getBytes(StandardCharsets.UTF_8));
        if (!ex.get("ok").booleanValue()) {
            assertThat(result.isOk()).as("verification must fail").isFalse();
            assertThat(result.failureOrNull().code()).as(result.failureOrNull().toString())
                    .isEqualTo(ReasonCode.fromCode(ex.get("code").textValue()));
            return;
        }
        assertThat(result.failureOrNull()).as("failure").isNull();
        AuthenticatedMessage m = result.orThrow();
        assertThat(m.id()).isEqualTo(ex.get("id").textValue());
        assertThat(m.sender().value()).isEqualTo(ex.get("sender").textValue());
        assertThat(m.recipient()).isEqualTo(ex.get("recipient").textValue());
        assertThat(m.audience()).isEqualTo(ex.get("aud").textValue());
        assertThat(m.resource()).isEqualTo(ex.get("resource").textValue());
        assertThat(m.action()).isEqualTo(ex.get("action").textValue());
        assertThat(m.sequence()).isEqualTo(ex.get("seq").longValue());
        assertThat(TimeFormat.format(m.timestamp())).isEqualTo(ex.get("ts").textValue());
        assertThat(m.policy().policyId()).isEqualTo(ex.get("policy_id").textValue());
        assertThat(m.policy().sha256Base64Url()).isEqualTo(ex.get("policy_sha256").textValue());
        assertThat(Base64Url.encode(m.header().bodySha256())).isEqualTo(ex.get("body_sha256").textValue());
        assertThat(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, m.body()))).isEqualTo(ex.get("body_sha256").textValue());
        assertThat(Base64Url.encode(m.chain().hash())).isEqualTo(ex.get("chain_sha256").textValue());
        assertThat(m.chain().leafClaims().orThrow().subject().value()).isEqualTo(ex.get("leaf_subject").textValue());
    }
}
