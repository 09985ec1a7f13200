package dev.moat.agent.impl;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.agent.bootstrap.MoatBridge;
import dev.moat.audit.AuditEvent;
import dev.moat.policy.AgentSection;
import dev.moat.policy.MoatPolicy;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Starts the agent inside the isolated class loader. Before the application runs: reads and
 * validates the policy (agent argument {@code config=PATH} or {@code MOAT_CONFIG}), checks that its
 * key files exist, installs the bridge's dispatcher and the instrumentation. Moat itself (keys,
 * grants, replay store, audit log, trust store) then starts on a background thread while the
 * application starts: every guarded call waits for it ({@link PendingDispatcher}), and a start that
 * fails stops the JVM with one line before any tool has run. Any earlier failure throws and the
 * launcher stops the JVM (premain) or fails the attach (agentmain). A late attach starts Moat
 * before it instruments anything.
 */
public final class AgentInstaller {
    /** How long a guarded call waits for Moat to start before it is refused. */
    static final long START_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);
    /** How long the shutdown hook waits for a start still under way, to close what it opened. */
    private static final long SHUTDOWN_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private AgentInstaller() {}

    /**
     * How the launcher ({@code dev.moat.agent.MoatAgent}, in another class loader) calls
     * {@link #start}: it creates one through the no-argument constructor and calls it as a JDK
     * {@code Consumer} with {@code {inst, args, late, stop}}. A reflective call of {@code start}
     * itself would spin method-handle code for its signature on Java 18 and later (~12 ms of
     * {@code premain} on Java 25).
     */
    public static final class Entry implements Consumer<Object[]> {
        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object[] a) {
            start((Instrumentation) a[0], (String) a[1], (Boolean) a[2], (Consumer<Throwable>) a[3]);
        }
    }

    /**
     * Starts Moat and installs the hooks; {@code stop} reports a failure of the background start on
     * one line and stops the JVM.
     */
    public static void start(Instrumentation inst, String args, boolean late, Consumer<Throwable> stop) {
        Path config = AgentArgs.configPath(args, System.getenv("MOAT_CONFIG"));
        MoatPolicy policy = MoatPolicy.load(config);
        AgentSettings settings = AgentSettings.from(policy);
        PolicyRuntime.requireAgentFiles(policy); // the commonest mistake stops the JVM before the application runs
        ToolTargets targets = new ToolTargets();
        InstrumentationReport report = new InstrumentationReport(settings.enforcing());
        PendingDispatcher pending = new PendingDispatcher(START_WAIT_MILLIS);
        MoatBridge.install(pending);
        String mode = settings.enforcing() ? AgentSection.ENFORCE : AgentSection.AUDIT_ONLY;
        report.say((late ? "attached" : "started") + " in " + mode + " mode as '" + settings.defaultIdentity()
                + "' (policy " + config.getFileName() + "); hooks: LangChain4j tool executions, Spring AI tool callbacks, @Tool methods, "
                + settings.methods().size() + " configured method patterns");
        AtomicReference<Moat> started = new AtomicReference<>();
        if (late) {
            started.set(startMoat(policy, settings, targets, report, pending));
            Runtime.getRuntime().addShutdownHook(new Thread(started.get()::close, "moat-agent-shutdown"));
            GuardTransformer.install(inst, settings, targets, report, true);
            report.summarise();
            return;
        }
        GuardTransformer.install(inst, settings, targets, report, false);
        Thread starter = new Thread(() -> {
            try {
                started.set(startMoat(policy, settings, targets, report, pending));
            } catch (Throwable t) {
                pending.failed();
                stop.accept(t);
            }
        }, "moat-agent-start"); // not a daemon: the JVM does not exit half-way through opening the audit log
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                starter.join(SHUTDOWN_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Moat moat = started.get();
            if (moat != null) {
                moat.close();
            }
        }, "moat-agent-shutdown"));
        starter.start();
    }

    /** Starts Moat from the policy and hands the bridge its guard; on any failure closes what it opened and throws. */
    private static Moat startMoat(MoatPolicy policy, AgentSettings settings, ToolTargets targets,
                                  InstrumentationReport report, PendingDispatcher pending) {
        Moat moat = PolicyRuntime.start(policy); // the policy is read and parsed once
        try {
            requireCapability(moat, policy.document().agent().identity());
            for (AgentSection.Service s : policy.document().agent().servicesOrEmpty()) {
                requireCapability(moat, s.identity());
            }
            report.attach(moat.audit());
            pending.ready(new GuardDispatcher(moat.guard(), settings, targets));
            return moat;
        } catch (RuntimeException | Error e) {
            try {
                moat.audit().append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.CONFIG,
                        "moat agent: cannot start: " + e.getMessage(), null));
                moat.close();
            } catch (RuntimeException ignored) {
                // already failing; the original error is the one to report
            }
            throw e;
        }
    }

    private static void requireCapability(Moat moat, String agent) {
        if (!moat.guard().agents().contains(agent)) {
            throw new IllegalArgumentException("agent '" + agent + "' has no capability: add a grant with subject '" + agent + "'");
        }
    }
}
