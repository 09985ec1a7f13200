package dev.moat.agent.impl;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Says what is guarded, on standard error and in the audit log, as classes are instrumented; and
 * makes a class that cannot be instrumented loud: in enforce mode the JVM stops (exit status 1),
 * never an application running with an unguarded tool. Classes are instrumented while Moat still
 * starts: lines said before the audit log is {@linkplain #attach attached} are recorded then, in order.
 */
class InstrumentationReport {
    private AuditLog audit; // guarded by this
    private final List<String> unrecorded = new ArrayList<>(); // guarded by this
    private final boolean enforcing;
    private final Set<String> classes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tools = new AtomicInteger();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();

    InstrumentationReport(boolean enforcing) {
        this.enforcing = enforcing;
    }

    void guardedToolService(String type) {
        say("guarding LangChain4j AI-service tool executions (" + type + ".executeWithErrorHandling)");
    }

    void guardedToolCallback(String type) {
        say("guarding Spring AI tool callbacks (" + type + ".call)");
    }

    void guardedTools(String type, List<String> names) {
        if (names.isEmpty() || !classes.add(type)) {
            return;
        }
        int total = tools.addAndGet(names.size());
        say("guarding " + counted(total, "tool") + " in " + counted(classes.size(), "class") + " (" + type + ": " + String.join(", ", names) + ")");
    }

    /** The totals, for late attach: {@code guarding 3 tools in 2 classes}. */
    String summary() {
        return "guarding " + counted(tools.get(), "tool") + " in " + counted(classes.size(), "class");
    }

    /** {@code 1 tool}, {@code 3 tools}, {@code 1 class}, {@code 2 classes}. */
    private static String counted(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun + (noun.endsWith("s") ? "es" : "s"));
    }

    void summarise() {
        say(summary());
    }

    /** A matched target is being instrumented: a failure from now on is fatal in enforce mode. */
    void attempt(String type) {
        attempted.add(type);
    }

    /** An error while looking at {@code type}; fatal (in enforce mode) only for a target being instrumented. */
    void failed(String type, Throwable error) {
        if (!attempted.contains(type)) {
            AgentLog.line("note: could not inspect " + type + " (" + error.getClass().getSimpleName() + "); it is not a guarded target");
            return;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (enforcing) {
            AgentLog.line("cannot guard " + type + ": " + reason + "; stopping the JVM (enforce mode)");
            System.err.flush();
            halt();
        } else {
            AgentLog.line("cannot guard " + type + ": " + reason + " (audit-only mode: it runs unguarded)");
        }
    }

    /** Stops the JVM; tests override it. */
    void halt() {
        Runtime.getRuntime().halt(1); // MoatAgent.EXIT_CANNOT_GUARD
    }

    synchronized void say(String line) {
        AgentLog.line(line);
        if (audit != null) {
            record(line);
        } else {
            unrecorded.add(line);
        }
    }

    /** From now on lines go to {@code log}, the lines said so far first. */
    synchronized void attach(AuditLog log) {
        audit = log;
        for (String line : unrecorded) {
            record(line);
        }
        unrecorded.clear();
    }

    private void record(String line) {
        audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.CONFIG, "moat agent: " + line, null));
    }
}
