package dev.moat.message;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.StrictJson;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/** Test-only forge for messages: deterministic headers and envelopes from raw parts. */
public final class MessageForge {
    private MessageForge() {}

    /** A deterministic 16-byte message id derived from {@code label}. */
    public static String id(String label) {
        byte[] h = Sha256.hash(("moat-test-message:" + label).getBytes(StandardCharsets.UTF_8));
        return Base64Url.encode(Arrays.copyOf(h, 16));
    }

    /** The audience (PEP identity) of forged headers. */
    public static final String AUDIENCE = "pep-a";

    /** Canonical header bytes for the given fields (audience {@link #AUDIENCE}). */
    public static byte[] header(String id, AgentId sender, String recipient, String resource, String action,
            byte[] body, TokenChain chain, PolicyBinding policy, long seq, Instant ts) {
        return new MessageHeader(id, sender, recipient, AUDIENCE, resource, action, Sha256.hash(Domain.PAYLOAD, body),
                chain.hash(), policy, seq, ts).encode();
    }

    /** Header bytes as a mutable sorted map, for JSON-level tampering. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> headerMap(byte[] header) {
        return (Map<String, Object>) StrictJson.toPlain(StrictJson.parseObject(header, 1 << 20, "header"));
    }

    /** An envelope from raw parts (no checks). */
    public static MessageEnvelope envelope(byte[] key, byte[] header, byte[] sig, byte[] body, TokenChain chain) {
        return new MessageEnvelope(key, header, sig, body, chain);
    }

    /** Wire bytes of a header signed by {@code signer} with the message domain tag. */
    public static byte[] signed(AgentKeypair signer, byte[] header, byte[] body, TokenChain chain) {
        return envelope(signer.publicKey().bytes(), header, signer.sign(Domain.MESSAGE, header), body, chain).encode();
    }
}
