package dev.moat.bridge;

import java.util.Objects;

/**
 * A refused request: the HTTP status, a stable reason code (for example {@code malformed},
 * {@code oversized}, {@code unauthenticated}, {@code unknown_session}) and a one-line detail. It
 * never carries a stack trace or secret material; the server turns it into a JSON error body.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ApiError(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    public static ApiError malformed(String detail) {
        return new ApiError(400, "malformed", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage() == null ? "" : getMessage();
    }
}
