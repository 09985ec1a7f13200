package dev.moat.json;

/**
 * Why a value or a JSON text has no canonical form. Each case has a stable string {@link #code()}
 * (spec/PROTOCOL.md section 4.1); tests and other implementations compare codes, never messages.
 */
public enum JsonProblem {
    /** Not JSON as RFC 8259 defines it: syntax, invalid UTF-8, a byte order mark, comments, trailing content. */
    INVALID_JSON("invalid_json"),
    /** An object names the same key twice. */
    DUPLICATE_KEY("duplicate_key"),
    /** A string or key holds a UTF-16 surrogate that is not half of a pair: it has no UTF-8 form. */
    LONE_SURROGATE("lone_surrogate"),
    /** Objects and arrays nest deeper than the limit. */
    TOO_DEEP("too_deep"),
    /** A number literal is longer than the limit. */
    NUMBER_TOO_LONG("number_too_long"),
    /** The text, or its canonical form, is larger than the byte limit. */
    OVERSIZED("oversized"),
    /** The top-level value is not an object where one is required (tool arguments). */
    NOT_AN_OBJECT("not_an_object"),
    /** A Java value with no JSON form was given to the encoder (a programming error). */
    UNSUPPORTED_VALUE("unsupported_value");

    private final String code;

    JsonProblem(String code) {
        this.code = code;
    }

    /** The stable code, for example {@code lone_surrogate}. */
    public String code() {
        return code;
    }
}
