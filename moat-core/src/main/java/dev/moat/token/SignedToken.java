package dev.moat.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One link of a chain as it travels: the issuer's public key, the exact payload bytes and the
 * signature over {@code "moat/v1/token" || 0x00 || payload}. Unverified: only
 * {@link TokenVerifier} decides whether it means anything.
 */
public final class SignedToken {
    private static final Set<String> FIELDS = Set.of("key", "payload", "sig");

    private final byte[] key;
    private final byte[] payload;
    private final byte[] signature;

    SignedToken(byte[] key, byte[] payload, byte[] signature) {
        this.key = key;
        this.payload = payload;
        this.signature = signature;
    }

    /** Signs {@code claims} with the issuer's private key (the caller checked it matches). */
    static SignedToken sign(CapabilityToken claims, dev.moat.identity.AgentKeypair issuer) {
        byte[] payload = CanonicalJson.encode(TokenCodec.toPlain(claims));
        byte[] sig = issuer.sign(Domain.TOKEN, payload);
        return new SignedToken(issuer.publicKey().bytes(), payload, sig);
    }

    static SignedToken fromJson(JsonNode node, int maxPayloadBytes) {
        JsonFields f = JsonFields.of(node, "signed token", FIELDS);
        byte[] key = f.bytes("key", -1);
        byte[] payload = f.bytes("payload", -1);
        byte[] sig = f.bytes("sig", -1);
        if (payload.length > maxPayloadBytes) {
            throw new Rejection(dev.moat.check.ReasonCode.OVERSIZED, "token payload exceeds " + maxPayloadBytes + " bytes");
        }
        return new SignedToken(key, payload, sig);
    }

    Map<String, Object> toPlain() {
        Map<String, Object> m = new TreeMap<>();
        m.put("key", Base64Url.encode(key));
        m.put("payload", Base64Url.encode(payload));
        m.put("sig", Base64Url.encode(signature));
        return m;
    }

    /** Verifies the signature with the envelope key; false for a malformed key or signature. */
    boolean signatureValid(Ed25519PublicKey issuerKey) {
        return issuerKey.verify(Domain.TOKEN, payload, signature);
    }

    /** Parses the claims without checking anything but form; for tooling and delegation only. */
    CapabilityToken decodeClaims(int maxPayloadBytes) {
        CapabilityToken claims = TokenCodec.fromJson(StrictJson.parseObject(payload, maxPayloadBytes, "token payload"));
        if (!StrictJson.isCanonicalEncoding(TokenCodec.toPlain(claims), payload)) {
            throw Rejection.malformed("token payload is not in canonical form");
        }
        return claims;
    }

    byte[] keyBytes() {
        return key;
    }

    /** A copy of the exact signed payload bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    /** A copy of the signature bytes. */
    public byte[] signature() {
        return signature.clone();
    }
}
