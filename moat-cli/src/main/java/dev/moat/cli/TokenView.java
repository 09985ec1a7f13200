package dev.moat.cli;

import dev.moat.identity.AgentId;
import dev.moat.token.CapabilityToken;
import dev.moat.token.ResourceLimits;
import dev.moat.token.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Human and JSON views of token claims, with agent ids shown by their local names when known. */
final class TokenView {
    private final Map<AgentId, String> names;
    private final Instant now;

    TokenView(Map<AgentId, String> names, Instant now) {
        this.names = names;
        this.now = now;
    }

    String who(AgentId id) {
        String n = names.get(id);
        return n == null ? id.value() : n;
    }

    Map<String, Object> agent(AgentId id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", names.get(id));
        m.put("id", id.value());
        return m;
    }

    Map<String, Object> link(CapabilityToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenId", t.id());
        m.put("depth", t.depth());
        m.put("issuer", agent(t.issuer()));
        m.put("subject", agent(t.subject()));
        m.put("allow", scopes(t.allowed()));
        m.put("deny", scopes(t.denied()));
        m.put("limits", limits(t.limits()));
        m.put("issuedAt", t.issuedAt().toString());
        m.put("expiresAt", t.expiresAt().toString());
        m.put("expired", !now.isBefore(t.expiresAt()));
        return m;
    }

    static List<Object> scopes(List<Scope> scopes) {
        List<Object> out = new ArrayList<>();
        for (Scope s : scopes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resource", s.resource().text());
            m.put("actions", s.actions());
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> limits(ResourceLimits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxFuel", l.maxFuel());
        m.put("maxMemoryBytes", l.maxMemoryBytes());
        m.put("maxWallTimeMillis", l.maxWallTime() == null ? null : l.maxWallTime().toMillis());
        m.put("networkAllowed", l.networkAllowed());
        m.put("allowedHosts", l.allowedHosts());
        m.put("readPaths", l.readPaths());
        m.put("writePaths", l.writePaths());
        return m;
    }

    static String scopesText(List<Scope> scopes) {
        if (scopes.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (Scope s : scopes) {
            parts.add(s.resource().text() + " [" + String.join(",", s.actions()) + "]");
        }
        return String.join("; ", parts);
    }

    static String limitsText(ResourceLimits l) {
        List<String> parts = new ArrayList<>();
        parts.add("fuel " + (l.maxFuel() == null ? "unlimited" : String.format("%,d", l.maxFuel())));
        parts.add("memory " + (l.maxMemoryBytes() == null ? "unlimited" : bytes(l.maxMemoryBytes())));
        parts.add("wall time " + (l.maxWallTime() == null ? "unlimited" : human(l.maxWallTime())));
        parts.add("network " + (l.networkAllowed() ? String.join(",", l.allowedHosts()) : "none"));
        parts.add("fs read " + (l.readPaths().isEmpty() ? "none" : String.join(",", l.readPaths())));
        parts.add("fs write " + (l.writePaths().isEmpty() ? "none" : String.join(",", l.writePaths())));
        return String.join(", ", parts);
    }

    String expiryText(Instant expiresAt) {
        if (!now.isBefore(expiresAt)) {
            return expiresAt + " (expired " + human(Duration.between(expiresAt, now)) + " ago)";
        }
        return expiresAt + " (in " + human(Duration.between(now, expiresAt)) + ")";
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 1) {
            return d.toMillis() + "ms";
        }
        long days = s / 86400;
        long h = (s % 86400) / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) {
            b.append(days).append("d ");
        }
        if (h > 0) {
            b.append(h).append("h ");
        }
        if (m > 0) {
            b.append(m).append("m ");
        }
        if (sec > 0 || b.length() == 0) {
            b.append(sec).append("s");
        }
        return b.toString().strip();
    }

    static String bytes(long n) {
        if (n >= (1L << 30) && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= (1L << 20) && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }
}
