package dev.moat.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A JSON number kept as its literal text, exactly as it was written ({@code 12.50}, {@code 1e3},
 * {@code -0}), so canonical JSON never changes a number's value or its form: a tool receives the
 * number the model sent. The literal must match RFC 8259's {@code number} grammar
 * ({@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}). Equality is by literal; compare
 * values with {@link #toBigDecimal()}.
 *
 * @param literal the number's text
 */
public record JsonNumber(String literal) {

    public JsonNumber {
        Objects.requireNonNull(literal, "literal");
        if (!isNumber(literal)) {
            throw new IllegalArgumentException("not a JSON number literal (RFC 8259)");
        }
    }

    /** The shortest decimal form of {@code value}. */
    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /** The decimal form of {@code value}, without exponent. */
    public static JsonNumber of(BigInteger value) {
        return new JsonNumber(value.toString());
    }

    /** {@link BigDecimal#toString()} of {@code value} (scale kept: {@code 1.50} stays {@code 1.50}). */
    public static JsonNumber of(BigDecimal value) {
        return new JsonNumber(value.toString());
    }

    /**
     * The exact value. Throws {@link NumberFormatException} when the exponent is outside the
     * {@code int} range (a literal such as {@code 1e9999999999} is valid JSON but has no BigDecimal).
     */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(literal);
    }

    @Override
    public String toString() {
        return literal;
    }

    /** True when {@code s} matches RFC 8259's number grammar. */
    static boolean isNumber(CharSequence s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            i = digits(s, i);
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            i = digits(s, i);
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(s, i);
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static int digits(CharSequence s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
