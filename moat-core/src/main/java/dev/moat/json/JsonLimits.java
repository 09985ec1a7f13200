package dev.moat.json;

/**
 * Bounds for reading untrusted JSON text before it is canonicalised.
 *
 * @param maxBytes        the largest text, and the largest canonical form, in UTF-8 bytes (1 to 64 MiB)
 * @param maxDepth        the deepest nesting of objects and arrays (1 to 256); the top-level value is depth 1
 * @param maxNumberLength the longest number literal in characters (20 to 1000)
 */
public record JsonLimits(int maxBytes, int maxDepth, int maxNumberLength) {
    /** 1 MiB (the protocol's default {@code max_body_bytes}), depth 32, numbers up to 100 characters. */
    public static final JsonLimits DEFAULT = new JsonLimits(1 << 20, 32, 100);

    public JsonLimits {
        if (maxBytes < 1 || maxBytes > 64 << 20) {
            throw new IllegalArgumentException("maxBytes must be between 1 and 64 MiB");
        }
        if (maxDepth < 1 || maxDepth > 256) {
            throw new IllegalArgumentException("maxDepth must be between 1 and 256");
        }
        if (maxNumberLength < 20 || maxNumberLength > 1000) {
            throw new IllegalArgumentException("maxNumberLength must be between 20 and 1000");
        }
    }
}
