package dev.moat;

/**
 * Unchecked root of every configuration and programming error raised by Moat.
 *
 * <p>Outcomes of untrusted input (a bad token, a replayed message) are values, not exceptions:
 * see {@code dev.moat.pep.Decision} and the typed errors of each decoder. This type is for misuse,
 * such as an invalid builder argument or an unreadable configuration file. Messages never carry
 * key material or secret values.
 */
public class MoatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MoatException(String message) {
        super(message);
    }

    public MoatException(String message, Throwable cause) {
        super(message, cause);
    }
}
