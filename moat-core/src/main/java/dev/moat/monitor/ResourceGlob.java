package dev.moat.monitor;

import java.util.Objects;

/**
 * A resource pattern for monitor rules, matched segment by segment on {@code '/'}: {@code *} is
 * exactly one segment, {@code **} (last segment only) is any tail including none, anything else
 * matches literally. {@code tool://*} matches {@code tool://send_email}; {@code file:///etc/**}
 * matches everything below {@code /etc}. Matching allocates nothing.
 */
public final class ResourceGlob {
    private final String pattern;
    private final String[] segments;
    private final boolean tail;

    private ResourceGlob(String pattern) {
        this.pattern = pattern;
        String[] parts = pattern.split("/", -1);
        boolean t = parts[parts.length - 1].equals("**");
        for (int i = 0; i < parts.length - (t ? 1 : 0); i++) {
            if (parts[i].equals("**")) {
                throw new IllegalArgumentException("** is only allowed as the last segment");
            }
        }
        if (t) {
            String[] head = new String[parts.length - 1];
            System.arraycopy(parts, 0, head, 0, head.length);
            parts = head;
        }
        this.segments = parts;
        this.tail = t;
    }

    public static ResourceGlob of(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty resource pattern");
        }
        return new ResourceGlob(pattern);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String resource) {
        int pos = 0;
        int len = resource.length();
        for (int i = 0; i < segments.length; i++) {
            int end = resource.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            String seg = segments[i];
            if (!seg.equals("*")) {
                if (end - pos != seg.length() || !resource.regionMatches(pos, seg, 0, seg.length())) {
                    return false;
                }
            }
            boolean lastPattern = i == segments.length - 1;
            if (lastPattern) {
                if (tail) {
                    return true;
                }
                return end == len;
            }
            if (end == len) {
                return false; // the resource has no more segments but the pattern does
            }
            pos = end + 1;
        }
        // only reachable when the pattern is just "**"
        return tail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceGlob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
