package dev.moat.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.TimeFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Canonical JSON form of {@link CapabilityToken} claims (spec/PROTOCOL.md, "Token payload"). */
final class TokenCodec {
    static final int VERSION = 1;
    private static final Set<String> TOKEN_FIELDS = Set.of(
            "v", "id", "issuer", "issuer_key", "subject", "parent", "depth", "allow", "deny", "limits", "iat", "exp");
    private static final Set<String> SCOPE_FIELDS = Set.of("resource", "actions");
    private static final Set<String> LIMIT_FIELDS = Set.of(
            "fuel", "memory_bytes", "wall_time_ms", "network", "hosts", "fs_read", "fs_write");

    private TokenCodec() {}

    static Map<String, Object> toPlain(CapabilityToken t) {
        Map<String, Object> m = new TreeMap<>();
        m.put("v", (long) VERSION);
        m.put("id", t.id());
        m.put("issuer", t.issuer().value());
        m.put("issuer_key", t.issuerKey().toBase64Url());
        m.put("subject", t.subject().value());
        if (t.parentId() != null) {
            m.put("parent", t.parentId());
        }
        m.put("depth", (long) t.depth());
        m.put("allow", scopes(t.allowed()));
        m.put("deny", scopes(t.denied()));
        m.put("limits", limits(t.limits()));
        m.put("iat", TimeFormat.format(t.issuedAt()));
        m.put("exp", TimeFormat.format(t.expiresAt()));
        return m;
    }

    private static List<Object> scopes(List<Scope> scopes) {
        List<Object> out = new ArrayList<>(scopes.size());
        for (Scope s : scopes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("actions", new ArrayList<Object>(s.actions()));
            m.put("resource", s.resource().text());
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> limits(ResourceLimits l) {
        Map<String, Object> m = new TreeMap<>();
        if (l.maxFuel() != null) {
            m.put("fuel", l.maxFuel());
        }
        if (l.maxMemoryBytes() != null) {
            m.put("memory_bytes", l.maxMemoryBytes());
        }
        if (l.maxWallTime() != null) {
            m.put("wall_time_ms", l.maxWallTime().toMillis());
        }
        m.put("network", l.networkAllowed());
        m.put("hosts", new ArrayList<Object>(l.allowedHosts()));
        m.put("fs_read", new ArrayList<Object>(l.readPaths()));
        m.put("fs_write", new ArrayList<Object>(l.writePaths()));
        return m;
    }

    /** Decodes claims; every problem is a {@link Rejection} (malformed). */
    static CapabilityToken fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "token", TOKEN_FIELDS);
        if (f.integer("v") != VERSION) {
            throw Rejection.malformed("token: unsupported version");
        }
        try {
            String id = f.string("id");
            if (Base64Url.decode(id).length != 16) {
                throw Rejection.malformed("token: id must be 16 bytes");
            }
            Ed25519PublicKey key = Ed25519PublicKey.of(f.bytes("issuer_key", Ed25519PublicKey.LENGTH));
            long depth = f.integer("depth");
            if (depth < 0 || depth > 1024) {
                throw Rejection.malformed("token: depth out of range");
            }
            AgentId issuer = AgentId.parse(f.string("issuer"));
            if (!issuer.matches(key)) {
                throw new Rejection(dev.moat.check.ReasonCode.ID_KEY_MISMATCH, "token: issuer id is not derived from issuer_key");
            }
            return new CapabilityToken(
                    id,
                    issuer,
                    key,
                    AgentId.parse(f.string("subject")),
                    f.optionalString("parent"),
                    (int) depth,
                    scopesFrom(f, "allow"),
                    scopesFrom(f, "deny"),
                    limitsFrom(f.node("limits")),
                    f.instant("iat"),
                    f.instant("exp"));
        } catch (Rejection r) {
            throw r;
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("token: " + e.getMessage());
        }
    }

    private static List<Scope> scopesFrom(JsonFields f, String field) {
        List<Scope> out = new ArrayList<>();
        for (JsonNode n : f.array(field, CapabilityToken.MAX_SCOPES)) {
            JsonFields s = JsonFields.of(n, "scope", SCOPE_FIELDS);
            out.add(new Scope(ResourcePattern.parse(s.string("resource")), s.strings("actions", Scope.MAX_ACTIONS)));
        }
        return out;
    }

    static ResourceLimits limitsFrom(JsonNode node) {
        JsonFields f = JsonFields.of(node, "limits", LIMIT_FIELDS);
        Long wall = f.optionalInteger("wall_time_ms");
        return new ResourceLimits(
                f.optionalInteger("fuel"),
                f.optionalInteger("memory_bytes"),
                wall == null ? null : Duration.ofMillis(wall),
                f.bool("network"),
                f.strings("hosts", ResourceLimits.MAX_ITEMS),
                f.strings("fs_read", ResourceLimits.MAX_ITEMS),
                f.strings("fs_write", ResourceLimits.MAX_ITEMS));
    }
}
