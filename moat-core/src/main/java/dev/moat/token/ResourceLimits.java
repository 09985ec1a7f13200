package dev.moat.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a token lets a sandboxed tool consume. {@code null} for a numeric limit means "no limit"
 * (never "zero"). Network egress is denied unless {@link #networkAllowed()}; then only to
 * {@link #allowedHosts()} (exact names, or {@code *.example.com} for strict subdomains). Filesystem
 * access is denied except below {@link #readPaths()} / {@link #writePaths()} (absolute, normalised).
 *
 * <p>Attenuation: a child's limits must be {@linkplain #isWithin(ResourceLimits) within} its
 * parent's: every number equal or smaller (an unlimited parent may be limited, never the reverse),
 * network only if the parent allows it and to covered hosts, paths only below the parent's.
 */
public record ResourceLimits(
        Long maxFuel,
        Long maxMemoryBytes,
        Duration maxWallTime,
        boolean networkAllowed,
        List<String> allowedHosts,
        List<String> readPaths,
        List<String> writePaths) {

    /** No numeric limits, no network, no filesystem. */
    public static final ResourceLimits UNLIMITED_COMPUTE_NO_IO =
            new ResourceLimits(null, null, null, false, List.of(), List.of(), List.of());

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?");
    static final int MAX_ITEMS = 64;

    public ResourceLimits {
        requireNonNegative(maxFuel, "maxFuel");
        requireNonNegative(maxMemoryBytes, "maxMemoryBytes");
        if (maxWallTime != null && (maxWallTime.isNegative() || maxWallTime.toMillis() > 366L * 24 * 3600 * 1000)) {
            throw new IllegalArgumentException("maxWallTime must be between 0 and 366 days");
        }
        if (maxWallTime != null) {
            maxWallTime = Duration.ofMillis(maxWallTime.toMillis());
        }
        allowedHosts = normaliseHosts(allowedHosts);
        if (!networkAllowed && !allowedHosts.isEmpty()) {
            throw new IllegalArgumentException("allowedHosts given but network is not allowed");
        }
        if (networkAllowed && allowedHosts.isEmpty()) {
            throw new IllegalArgumentException("network allowed but no host is listed (egress needs an allow-list)");
        }
        readPaths = normalisePaths(readPaths, "readPaths");
        writePaths = normalisePaths(writePaths, "writePaths");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this is equal to or tighter than {@code parent} in every dimension. */
    public boolean isWithin(ResourceLimits parent) {
        return violationAgainst(parent) == null;
    }

    /**
     * The first dimension in which this is broader than {@code parent}, as a rule name
     * ({@code limit.fuel}, {@code limit.memory}, {@code limit.wall_time}, {@code limit.network},
     * {@code limit.hosts}, {@code limit.fs_read}, {@code limit.fs_write}), or {@code null}.
     */
    public String violationAgainst(ResourceLimits parent) {
        if (!numberWithin(maxFuel, parent.maxFuel)) {
            return "limit.fuel";
        }
        if (!numberWithin(maxMemoryBytes, parent.maxMemoryBytes)) {
            return "limit.memory";
        }
        Long wall = maxWallTime == null ? null : maxWallTime.toMillis();
        Long parentWall = parent.maxWallTime == null ? null : parent.maxWallTime.toMillis();
        if (!numberWithin(wall, parentWall)) {
            return "limit.wall_time";
        }
        if (networkAllowed && !parent.networkAllowed) {
            return "limit.network";
        }
        for (String h : allowedHosts) {
            if (!parent.hostAllowed(h)) {
                return "limit.hosts";
            }
        }
        for (String p : readPaths) {
            if (!under(p, parent.readPaths)) {
                return "limit.fs_read";
            }
        }
        for (String p : writePaths) {
            if (!under(p, parent.writePaths)) {
                return "limit.fs_write";
            }
        }
        return null;
    }

    /**
     * True when egress to {@code host} (lowercase name, optionally with {@code :port}) is allowed.
     * {@code *.example.com} covers {@code a.example.com} and {@code *.a.example.com}, not
     * {@code example.com}.
     */
    public boolean hostAllowed(String host) {
        if (!networkAllowed || host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String allowed : allowedHosts) {
            if (allowed.equals(h)) {
                return true;
            }
            if (allowed.startsWith("*.")) {
                String suffix = allowed.substring(1);
                String candidate = h.startsWith("*.") ? h.substring(1) : h;
                if (candidate.endsWith(suffix) && candidate.length() > suffix.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code path} (absolute, normalised) lies at or below a granted read or write path. */
    public boolean canRead(String path) {
        return under(path, readPaths) || under(path, writePaths);
    }

    /** True when {@code path} lies at or below a granted write path. */
    public boolean canWrite(String path) {
        return under(path, writePaths);
    }

    private static boolean under(String path, List<String> roots) {
        for (String root : roots) {
            if (path.equals(root) || root.equals("/") || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    private static boolean numberWithin(Long child, Long parent) {
        if (parent == null) {
            return true;
        }
        return child != null && child <= parent;
    }

    private static void requireNonNegative(Long v, String name) {
        if (v != null && v < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    private static List<String> normaliseHosts(List<String> hosts) {
        if (hosts == null) {
            return List.of();
        }
        if (hosts.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("too many hosts (max " + MAX_ITEMS + ")");
        }
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            String lower = Objects.requireNonNull(h, "host").toLowerCase(Locale.ROOT);
            if (lower.length() > 253 || !HOST.matcher(lower).matches()) {
                throw new IllegalArgumentException("invalid host pattern: " + h);
            }
            if (!out.contains(lower)) {
                out.add(lower);
            }
        }
        return List.copyOf(out);
    }

    /** Validates an absolute path in normal form: no empty, {@code .} or {@code ..} segments. */
    public static String normalisePath(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > 4096) {
            throw new IllegalArgumentException("path must be absolute");
        }
        if (path.equals("/")) {
            return path;
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String seg : p.substring(1).split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.indexOf('\\') >= 0 || seg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("path is not in normal form: " + path);
            }
        }
        return p;
    }

    private static List<String> normalisePaths(List<String> paths, String name) {
        if (paths == null) {
            return List.of();
        }
        if (paths.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("too many " + name + " (max " + MAX_ITEMS + ")");
        }
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            String n = normalisePath(p);
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** Builder; everything starts unlimited compute with no I/O. */
    public static final class Builder {
        private Long maxFuel;
        private Long maxMemoryBytes;
        private Duration maxWallTime;
        private boolean networkAllowed;
        private List<String> hosts = List.of();
        private List<String> readPaths = List.of();
        private List<String> writePaths = List.of();

        public Builder maxFuel(Long v) {
            this.maxFuel = v;
            return this;
        }

        public Builder maxMemoryBytes(Long v) {
            this.maxMemoryBytes = v;
            return this;
        }

        public Builder maxWallTime(Duration v) {
            this.maxWallTime = v;
            return this;
        }

        /** Allows egress to exactly these hosts. */
        public Builder allowHosts(List<String> hosts) {
            this.networkAllowed = hosts != null && !hosts.isEmpty();
            this.hosts = hosts == null ? List.of() : hosts;
            return this;
        }

        public Builder readPaths(List<String> v) {
            this.readPaths = v;
            return this;
        }

        public Builder writePaths(List<String> v) {
            this.writePaths = v;
            return this;
        }

        public ResourceLimits build() {
            return new ResourceLimits(maxFuel, maxMemoryBytes, maxWallTime, networkAllowed, hosts, readPaths, writePaths);
        }
    }
}
