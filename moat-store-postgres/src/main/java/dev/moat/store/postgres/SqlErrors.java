package dev.moat.store.postgres;

import java.sql.SQLException;

/** Short, password-free descriptions of database failures for denials and startup errors. */
final class SqlErrors {
    private SqlErrors() {}

    /**
     * The innermost SQL failure (a pool timeout wraps the connection error that explains it), e.g.
     * "Connection to 127.0.0.1:5432 refused. ... (08001)"; only its first line, at most 200 characters.
     */
    static String describe(Throwable t) {
        SQLException sql = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                sql = s;
            }
        }
        if (sql == null) {
            return t.getClass().getSimpleName();
        }
        String msg = sql.getMessage() == null ? "" : sql.getMessage();
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "...";
        }
        return msg + (sql.getSQLState() == null ? "" : " (" + sql.getSQLState() + ")");
    }

    static SQLException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    static String state(Throwable t) {
        SQLException s = find(t);
        return s == null || s.getSQLState() == null ? "" : s.getSQLState();
    }
}
