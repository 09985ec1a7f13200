package dev.moat.agent.impl;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.agent.bootstrap.MoatBridge;
import dev.moat.audit.AuditEvent;
import dev.moat.policy.AgentSection;
import dev.moat.policy.MoatPolicy;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Starts the agent inside the isolated class loader: reads the policy (agent argument
 * {@code config=PATH} or {@code MOAT_CONFIG}), starts Moat from it (keys, grants, replay store, audit
 * log), installs the dispatcher into the bridge and then the instrumentation. Any failure throws
 * and the launcher stops the JVM (premain) or fails the attach (agentmain).
 */
public final class AgentInstaller {
    private AgentInstaller() {}

    /** Called reflectively by {@code dev.moat.agent.MoatAgent}. */
    public static void start(Instrumentation inst, String args, boolean late) {
        Path config = AgentArgs.configPath(args, System.getenv("MOAT_CONFIG"));
        MoatPolicy policy = MoatPolicy.load(config);
        AgentSettings settings = AgentSettings.from(policy);
        Moat moat = PolicyRuntime.start(policy); // the policy is read and parsed once
        try {
            requireCapability(moat, policy.document().agent().identity());
            for (AgentSection.Service s : policy.document().agent().servicesOrEmpty()) {
                requireCapability(moat, s.identity());
            }
            ToolTargets targets = new ToolTargets();
            MoatBridge.install(new GuardDispatcher(moat.guard(), settings, targets));
            InstrumentationReport report = new InstrumentationReport(moat.audit(), settings.enforcing());
            String mode = settings.enforcing() ? AgentSection.ENFORCE : AgentSection.AUDIT_ONLY;
            report.say((late ? "attached" : "started") + " in " + mode + " mode as '" + settings.defaultIdentity()
                    + "' (policy " + config.getFileName() + "); hooks: LangChain4j tool executions, Spring AI tool callbacks, @Tool methods, "
                    + settings.methods().size() + " configured method patterns");
            GuardTransformer.install(inst, settings, targets, report, late);
            if (late) {
                report.summarise();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(moat::close, "moat-agent-shutdown"));
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
