package dev.moat.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentId;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.internal.TimeFormat;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.policy.PolicyBinding;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The signed part of a message (spec/PROTOCOL.md, "Message header"): id, sender, recipient, the
 * audience (the identity of the one policy enforcement point that may accept it), the
 * requested resource and action, SHA-256 digests of body and chain, the policy binding, the
 * sender's sequence number and timestamp.
 */
public record MessageHeader(
        String id,
        AgentId sender,
        String recipient,
        String audience,
        String resource,
        String action,
        byte[] bodySha256,
        byte[] chainSha256,
        PolicyBinding policy,
        long sequence,
        Instant timestamp) {

    private static final Set<String> FIELDS = Set.of("v", "id", "sender", "recipient", "aud", "resource", "action",
            "body_sha256", "chain_sha256", "policy", "seq", "ts");
    private static final Set<String> POLICY_FIELDS = Set.of("id", "sha256");
    private static final Pattern RECIPIENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    public MessageHeader {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(timestamp, "timestamp");
        if (recipient == null || !RECIPIENT.matcher(recipient).matches()) {
            throw new IllegalArgumentException("invalid recipient");
        }
        if (audience == null || !RECIPIENT.matcher(audience).matches()) {
            throw new IllegalArgumentException("invalid audience");
        }
        if (resource == null || resource.isEmpty() || resource.length() > 1024) {
            throw new IllegalArgumentException("invalid resource");
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("invalid action");
        }
        if (bodySha256 == null || bodySha256.length != 32 || chainSha256 == null || chainSha256.length != 32) {
            throw new IllegalArgumentException("digests must be 32 bytes");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative");
        }
        bodySha256 = bodySha256.clone();
        chainSha256 = chainSha256.clone();
        timestamp = TimeFormat.truncate(timestamp);
    }

    byte[] encode() {
        Map<String, Object> m = new TreeMap<>();
        m.put("v", 1L);
        m.put("id", id);
        m.put("sender", sender.value());
        m.put("recipient", recipient);
        m.put("aud", audience);
        m.put("resource", resource);
        m.put("action", action);
        m.put("body_sha256", Base64Url.encode(bodySha256));
        m.put("chain_sha256", Base64Url.encode(chainSha256));
        Map<String, Object> p = new TreeMap<>();
        p.put("id", policy.policyId());
        p.put("sha256", policy.sha256Base64Url());
        m.put("policy", p);
        m.put("seq", sequence);
        m.put("ts", TimeFormat.format(timestamp));
        return CanonicalJson.encode(m);
    }

    static MessageHeader decode(byte[] bytes) {
        ObjectNode node = StrictJson.parseObject(bytes, MessageLimits.MAX_HEADER_BYTES, "message header");
        JsonFields f = JsonFields.of(node, "message header", FIELDS);
        if (f.integer("v") != 1) {
            throw Rejection.malformed("message header: unsupported version");
        }
        MessageHeader h;
        try {
            JsonFields p = JsonFields.of(f.node("policy"), "policy binding", POLICY_FIELDS);
            String id = f.string("id");
            if (Base64Url.decode(id).length != 16) {
                throw Rejection.malformed("message header: id must be 16 bytes");
            }
            h = new MessageHeader(id, AgentId.parse(f.string("sender")), f.string("recipient"), f.string("aud"),
                    f.string("resource"), f.string("action"), f.bytes("body_sha256", 32), f.bytes("chain_sha256", 32),
                    new PolicyBinding(p.string("id"), p.bytes("sha256", 32)), f.integer("seq"), f.instant("ts"));
        } catch (Rejection r) {
            throw r;
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("message header: " + e.getMessage());
        }
        if (!isCanonical(h, bytes)) {
            throw Rejection.malformed("message header: not in canonical form");
        }
        return h;
    }

    private static boolean isCanonical(MessageHeader h, byte[] bytes) {
        try {
            return Arrays.equals(h.encode(), bytes);
        } catch (CanonicalJsonException e) { // a decoded string with no UTF-8 form
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "MessageHeader[id=" + id + ", sender=" + sender + ", " + action + " " + resource + ", seq=" + sequence + "]";
    }
}
