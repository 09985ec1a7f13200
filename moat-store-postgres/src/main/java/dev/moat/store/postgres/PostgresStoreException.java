package dev.moat.store.postgres;

import dev.moat.MoatException;
import java.util.Objects;

/** The PostgreSQL stores cannot start. The message is for operators and never holds the password. */
public final class PostgresStoreException extends MoatException {
    private static final long serialVersionUID = 1L;

    /** Why. Branch on this, never on the message. */
    public enum Kind {
        /** The configuration is unusable (not a {@code jdbc:postgresql://} URL, a password in the URL, no replica). */
        BAD_CONFIG,
        /** No server answers at the URL (wrong host or port, server down, timeout). */
        UNREACHABLE,
        /** The server refused the user name or password. */
        BAD_CREDENTIALS,
        /** The database named in the URL does not exist. */
        NO_DATABASE,
        /** Moat's tables exist but no schema version is recorded: refusing to guess. */
        SCHEMA_VERSION_MISSING,
        /** The database's schema is newer than this code knows (upgrade Moat). */
        SCHEMA_NEWER,
        /** The recorded schema history is older than (or differs from) every history this code knows. */
        SCHEMA_UNKNOWN,
        /** A migration failed (for example the user may not create tables). */
        MIGRATION_FAILED
    }

    private final Kind kind;

    public PostgresStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public PostgresStoreException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
