package dev.moat.policy;

import dev.moat.MoatException;
import java.nio.file.Path;

/**
 * A policy file could not be read or is invalid. The message reads
 * {@code <file>:<line>:<column>: <field>: <problem>} in plain words: the field as written in YAML
 * ({@code grants[1].valid_for}), never a Java class or property name. {@link #field()},
 * {@link #location()} and {@link #problem()} give the parts, for tools that show them apart.
 */
public final class PolicyException extends MoatException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String location;
    private final String problem;

    public PolicyException(String message) {
        super(message);
        this.field = null;
        this.location = null;
        this.problem = message;
    }

    private PolicyException(String location, String field, String problem) {
        super(location + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem);
        this.field = field;
        this.location = location;
        this.problem = problem;
    }

    /**
     * An error at {@code field} of {@code file}, placed by {@code positions}
     * ({@code file:line:column}, or the file alone when the field has no position).
     */
    public static PolicyException at(Path file, PolicyPositions positions, String field, String problem) {
        String where = field == null ? null : positions.of(field).orElse(null);
        return new PolicyException(where == null ? file.toString() : file + ":" + where, field, problem);
    }

    /** An error at a known {@code line:column} (a YAML syntax error). */
    static PolicyException atPosition(Path file, int line, int column, String field, String problem) {
        return new PolicyException(line > 0 ? file + ":" + line + ":" + column : file.toString(), field, problem);
    }

    /** The YAML field path ({@code grants[1].issuer}), or {@code null}. */
    public String field() {
        return field;
    }

    /** {@code file:line:column} (or the file), or {@code null} when the message is free-form. */
    public String location() {
        return location;
    }

    /** What is wrong, without the location and field. */
    public String problem() {
        return problem;
    }
}
