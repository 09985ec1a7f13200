package dev.moat.tool.rule;

import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonNumber;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Helpers over the plain JSON values of {@code CanonicalJson.parse}: type names, numbers by value, text. */
final class JsonValues {
    /** Exponents beyond this are refused as numbers: comparing {@code 1e999999999} must not cost memory or time. */
    private static final int MAX_EXPONENT = 10_000;

    private JsonValues() {}

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof JsonNumber) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return "an unknown value";
    }

    static boolean isContainer(Object v) {
        return v instanceof List<?> || v instanceof Map<?, ?>;
    }

    /** The exact value of a number, or {@code null} when {@code v} is not a number Moat can compare. */
    static BigDecimal number(Object v) {
        if (!(v instanceof JsonNumber n)) {
            return null;
        }
        try {
            BigDecimal d = n.toBigDecimal();
            return Math.abs((long) d.scale()) > MAX_EXPONENT ? null : d;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A policy value ({@code "10"}, {@code "1e3"}) read as a number, or {@code null} when it is not one. */
    static BigDecimal numberOrNull(String text) {
        try {
            BigDecimal d = new BigDecimal(text);
            return Math.abs((long) d.scale()) > MAX_EXPONENT ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * True when the scalar {@code v} equals the policy value {@code expected}: strings exactly,
     * numbers by value ({@code 10}, {@code 10.0} and {@code 1e1} are equal), booleans by
     * {@code true}/{@code false}. Null, arrays and objects equal nothing.
     */
    static boolean sameValue(Object v, String expected) {
        if (v instanceof String s) {
            return s.equals(expected);
        }
        if (v instanceof Boolean b) {
            return b.toString().equals(expected);
        }
        BigDecimal d = number(v);
        if (d != null) {
            BigDecimal e = numberOrNull(expected);
            return e != null && d.compareTo(e) == 0;
        }
        return false;
    }

    /** The text of a scalar (a string's value, a number's literal, {@code true}/{@code false}); containers as canonical JSON. */
    static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof JsonNumber || v instanceof Boolean) {
            return v.toString();
        }
        return new String(CanonicalJson.encode(v), StandardCharsets.UTF_8);
    }
}
