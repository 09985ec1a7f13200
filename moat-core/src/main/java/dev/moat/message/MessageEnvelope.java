package dev.moat.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A message as it travels, not yet verified: the sender's public key, the exact signed header
 * bytes, the signature, the body and the token chain. Wire form (canonical JSON):
 * {@code {"body":b64,"chain":{...},"key":b64,"msg":b64,"sig":b64,"v":1}}.
 */
public final class MessageEnvelope {
    private static final Set<String> FIELDS = Set.of("v", "key", "msg", "sig", "body", "chain");
    private static final java.util.Base64.Encoder B64 = java.util.Base64.getUrlEncoder().withoutPadding();
    private static final byte[] OPEN_BODY = ascii("{\"body\":\"");
    private static final byte[] THEN_CHAIN = ascii("\",\"chain\":");
    private static final byte[] THEN_KEY = ascii(",\"key\":\"");
    private static final byte[] THEN_MSG = ascii("\",\"msg\":\"");
    private static final byte[] THEN_SIG = ascii("\",\"sig\":\"");
    private static final byte[] CLOSE = ascii("\",\"v\":1}");

    final byte[] key;
    final byte[] header;
    final byte[] signature;
    final byte[] body;
    final TokenChain chain;
    /**
     * The signer object that made this envelope in this process, or {@code null} (parsed from
     * bytes, or built any other way). Set only by {@link MessageSigner}, through the constructor
     * below, never afterwards: it is the in-memory proof of provenance behind
     * {@link #isSignedBy(MessageSigner)}.
     */
    private final MessageSigner signedBy;
    private volatile MessageHeader decodedHeader;

    MessageEnvelope(byte[] key, byte[] header, byte[] signature, byte[] body, TokenChain chain) {
        this.key = key;
        this.header = header;
        this.signature = signature;
        this.body = body;
        this.chain = chain;
        this.signedBy = null;
    }

    /** An envelope just signed by {@code signer}; {@code decoded} is the header that encoded to {@code header}. */
    MessageEnvelope(byte[] key, byte[] header, byte[] signature, byte[] body, TokenChain chain,
                    MessageSigner signer, MessageHeader decoded) {
        this.key = key;
        this.header = header;
        this.signature = signature;
        this.body = body;
        this.chain = chain;
        this.signedBy = java.util.Objects.requireNonNull(signer, "signer");
        this.decodedHeader = java.util.Objects.requireNonNull(decoded, "decoded");
    }

    /** Parses the wire form with default limits. Form only: nothing is trusted yet. */
    public static Checked<MessageEnvelope> parse(byte[] bytes) {
        return parse(bytes, MessageLimits.DEFAULT);
    }

    /** Parses the wire form. Form only: nothing is trusted yet. */
    public static Checked<MessageEnvelope> parse(byte[] bytes, MessageLimits limits) {
        try {
            ObjectNode node = StrictJson.parseObject(bytes, limits.maxEnvelopeBytes(), "message");
            JsonFields f = JsonFields.of(node, "message", FIELDS);
            if (f.integer("v") != 1) {
                throw Rejection.malformed("message: unsupported version");
            }
            byte[] key = f.bytes("key", -1);
            byte[] header = f.bytes("msg", -1);
            byte[] sig = f.bytes("sig", -1);
            byte[] body = f.bytes("body", -1);
            if (header.length > MessageLimits.MAX_HEADER_BYTES) {
                throw new Rejection(ReasonCode.OVERSIZED, "message header exceeds " + MessageLimits.MAX_HEADER_BYTES + " bytes");
            }
            if (body.length > limits.maxBodyBytes()) {
                throw new Rejection(ReasonCode.OVERSIZED, "message body exceeds " + limits.maxBodyBytes() + " bytes");
            }
            Checked<TokenChain> chain = TokenChain.parseTree(f.node("chain"), limits.tokens());
            if (chain instanceof Checked.Failed<TokenChain> failed) {
                return Checked.failed(failed.failure());
            }
            MessageEnvelope envelope = new MessageEnvelope(key, header, sig, body, chain.orThrow());
            // One message, one byte string: the envelope must be exactly its canonical encoding.
            if (!java.util.Arrays.equals(envelope.encode(), bytes)) {
                throw Rejection.malformed("message: not in canonical form");
            }
            return Checked.ok(envelope);
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.MALFORMED, "message: " + e.getClass().getSimpleName());
        }
    }

    /** The canonical wire bytes: {@code {"body":..,"chain":{..},"key":..,"msg":..,"sig":..,"v":1}}. */
    public byte[] encode() {
        byte[] chainJson = chain.encoded();
        byte[][] parts = {
            OPEN_BODY, B64.encode(body), THEN_CHAIN, chainJson, THEN_KEY, B64.encode(key),
            THEN_MSG, B64.encode(header), THEN_SIG, B64.encode(signature), CLOSE
        };
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The canonical wire form as text. */
    public String toJson() {
        return new String(encode(), StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Decodes the header without checking the signature: for cheap pre-checks (size, time window,
     * recipient) that may only reject. The result is cached; trust comes from {@link MessageVerifier}.
     */
    public Checked<MessageHeader> peekHeader() {
        MessageHeader h = decodedHeader;
        if (h != null) {
            return Checked.ok(h);
        }
        try {
            h = MessageHeader.decode(header);
            decodedHeader = h;
            return Checked.ok(h);
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.MALFORMED, "message header: " + e.getClass().getSimpleName());
        }
    }

    /**
     * True only when {@code signer} itself made this envelope in this process
     * ({@link MessageSigner#sign}): then its signature was just made with the private key whose
     * public half is {@link #key}, over exactly these header bytes, and nothing can have changed
     * them since (the envelope is immutable). An envelope parsed from bytes, or made by another
     * signer, answers false. Object identity, not a flag: nothing can set it afterwards.
     * spec/PROTOCOL.md 10.5.
     */
    public boolean isSignedBy(MessageSigner signer) {
        return signer != null && signedBy == signer;
    }

    /** The token chain carried by this message. */
    public TokenChain chain() {
        return chain;
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** A copy of the exact signed header bytes. */
    public byte[] header() {
        return header.clone();
    }

    @Override
    public String toString() {
        return "MessageEnvelope[header=" + header.length + " bytes, body=" + body.length + " bytes]";
    }
}
