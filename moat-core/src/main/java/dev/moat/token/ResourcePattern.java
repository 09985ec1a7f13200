package dev.moat.token;

import java.util.regex.Pattern;

/**
 * A resource pattern such as {@code tool://send_email}, {@code tool://*}/{@code read} or
 * {@code file:///data/**}, matched segment by segment. {@code *} matches exactly one segment and
 * {@code **} (last segment only) any tail, including none. Patterns and requested resources are
 * refused unless in normal form: see {@link Resources#check(String)}.
 */
public final class ResourcePattern {
    static final String ONE = "*";
    static final String ANY_TAIL = "**";
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,31}");

    private final String text;
    private final String prefix; // "scheme://"
    private final String[] segments;
    /** Per segment, precompiled once: {@link #LITERAL}, {@link #KIND_ONE} or {@link #KIND_TAIL}. */
    private final byte[] kinds;
    private static final byte LITERAL = 0;
    private static final byte KIND_ONE = 1;
    private static final byte KIND_TAIL = 2;
    /** How many leading segments are literal; {@code segments.length} when there is no wildcard. */
    private final int literalCount;
    /** {@code prefix} plus the leading literal segments joined by {@code /}: one compare for all of them. */
    private final String head;

    private ResourcePattern(String text, String prefix, String[] segments) {
        this.text = text;
        this.prefix = prefix;
        this.segments = segments;
        this.kinds = new byte[segments.length];
        for (int i = 0; i < segments.length; i++) {
            kinds[i] = segments[i].equals(ANY_TAIL) ? KIND_TAIL : segments[i].equals(ONE) ? KIND_ONE : LITERAL;
        }
        int k = 0;
        while (k < kinds.length && kinds[k] == LITERAL) {
            k++;
        }
        this.literalCount = k;
        this.head = prefix + String.join("/", java.util.Arrays.asList(segments).subList(0, k));
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong (traversal, empty segment, ...)
     */
    public static ResourcePattern parse(String text) {
        String problem = Resources.problem(text, true);
        if (problem != null) {
            throw new IllegalArgumentException("invalid resource pattern '" + Resources.clip(text) + "': " + problem);
        }
        int sep = text.indexOf("://");
        String scheme = text.substring(0, sep);
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("invalid resource pattern '" + Resources.clip(text) + "': bad scheme");
        }
        String[] segs = text.substring(sep + 3).split("/", -1);
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.equals(ANY_TAIL) && i != segs.length - 1) {
                throw new IllegalArgumentException("invalid resource pattern '" + Resources.clip(text) + "': ** must be the last segment");
            }
            if (s.indexOf('*') >= 0 && !s.equals(ONE) && !s.equals(ANY_TAIL)) {
                throw new IllegalArgumentException("invalid resource pattern '" + Resources.clip(text) + "': * must be a whole segment");
            }
        }
        return new ResourcePattern(text, text.substring(0, sep + 3), segs);
    }

    /** The pattern text. */
    public String text() {
        return text;
    }

    /**
     * True when {@code resource} (already checked with {@link Resources#isValid(String)}) matches.
     * Allocation-free.
     */
    public boolean matches(String resource) {
        String[] segs = segments;
        int literal = literalCount;
        if (literal == segs.length) {
            return resource.equals(text); // no wildcard: segments hold no '/', so equal text is an equal path
        }
        String h = head;
        if (!resource.startsWith(h)) {
            return false;
        }
        int n = resource.length();
        int pos;
        if (literal == 0) {
            pos = h.length(); // head is "scheme://"
        } else if (h.length() == n) {
            pos = n + 1; // the literal segments consumed the whole resource
        } else if (resource.charAt(h.length()) == '/') {
            pos = h.length() + 1; // the last literal segment ended where a segment ends
        } else {
            return false; // the last literal segment is only a prefix of the resource's segment
        }
        byte[] k = kinds;
        for (int i = literal; i < segs.length; i++) {
            byte kind = k[i];
            if (kind == KIND_TAIL) {
                return true;
            }
            if (pos > n) {
                return false; // resource exhausted, pattern still expects a segment
            }
            int end = resource.indexOf('/', pos);
            if (end < 0) {
                end = n;
            }
            int len = end - pos;
            if (kind == KIND_ONE) {
                if (len == 0) {
                    return false; // '*' never matches the empty root segment
                }
            } else {
                String seg = segs[i];
                if (len != seg.length() || !resource.regionMatches(pos, seg, 0, len)) {
                    return false;
                }
            }
            pos = end + 1;
        }
        return pos > n; // every resource segment consumed
    }

    /**
     * True when every resource this pattern could match is also matched by {@code this}:
     * {@code this} is at least as broad as {@code narrower}.
     */
    public boolean covers(ResourcePattern narrower) {
        if (!prefix.equals(narrower.prefix)) {
            return false;
        }
        String[] p = segments;
        String[] q = narrower.segments;
        for (int i = 0; ; i++) {
            if (i < p.length && p[i].equals(ANY_TAIL)) {
                return true;
            }
            if (i == p.length || i == q.length) {
                return i == p.length && i == q.length;
            }
            if (q[i].equals(ANY_TAIL)) {
                return false;
            }
            if (q[i].equals(ONE)) {
                if (!p[i].equals(ONE)) {
                    return false;
                }
            } else if (p[i].equals(ONE) ? q[i].isEmpty() : !p[i].equals(q[i])) {
                return false;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcePattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
