package dev.moat.monitor;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What kind of activity an {@link ObservedCall} is. The state machine maps each kind to the state
 * the agent enters. The built-in kinds cover the default state set; a custom kind (for example
 * {@code CallKind.of("Approving")}) enters the state of the same name in a custom
 * {@link StateMachine}.
 */
public record CallKind(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    /** Running a tool. Default state: {@code Executing}. */
    public static final CallKind EXECUTE = new CallKind("EXECUTE");
    /** Resolving a secret handle. Default state: {@code RequestingSecret}. */
    public static final CallKind SECRET = new CallKind("SECRET");
    /** Network egress. Default state: {@code NetworkRequest}. */
    public static final CallKind NETWORK = new CallKind("NETWORK");
    /** File system access. Default state: {@code FileAccess}. */
    public static final CallKind FILE = new CallKind("FILE");
    /** The agent is back at rest (end of a turn). Default state: {@code Idle}. */
    public static final CallKind IDLE = new CallKind("IDLE");
    /** The agent's session ends. Default state: {@code Terminated}, which has no way out. */
    public static final CallKind TERMINATE = new CallKind("TERMINATE");

    public CallKind {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("call kind must match " + NAME.pattern());
        }
    }

    public static CallKind of(String name) {
        return new CallKind(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
