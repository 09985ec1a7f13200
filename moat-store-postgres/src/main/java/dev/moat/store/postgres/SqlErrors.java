package dev.moat.store.postgres;

import java.sql.SQLException;

/** Short, password-free descriptions of database failures for denials and startup errors. */
final class SqlErrors {
    private SqlErrors() {}

    /** e.g. "connection refused (08001)"; the server's message is kept only for its first line. */
    static String describe(Throwable t) {
        SQLException sql = find(t);
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
