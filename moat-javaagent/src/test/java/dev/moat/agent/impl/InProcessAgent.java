package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.Dispatcher;
import dev.moat.agent.bootstrap.MoatBridge;
import dev.moat.guard.Guard;
import dev.moat.tool.rule.ArgumentRule;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The fast test path: the agent's transformer installed once into the test JVM with
 * {@code ByteBuddyAgent.install()}, the bridge's dispatcher switchable per test (the bridge takes
 * one dispatcher per JVM). Here the bridge is on the application class path, as is everything else.
 */
final class InProcessAgent {
    private static final ToolTargets TARGETS = new ToolTargets();
    private static final Switch SWITCH = new Switch();
    private static boolean installed;

    private InProcessAgent() {}

    /** A dispatcher that delegates to the one the current test set. */
    static final class Switch extends DelegatingDispatcher {
        volatile Dispatcher delegate;

        @Override
        Dispatcher delegate() {
            Dispatcher d = delegate;
            if (d == null) {
                throw new IllegalStateException("no dispatcher for this test");
            }
            return d;
        }
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        Instrumentation inst = ByteBuddyAgent.install();
        MoatBridge.install(SWITCH);
        GuardTransformer.install(inst, AgentSettings.of("assistant", true, ToolRules.empty(), List.of()), TARGETS,
                new InstrumentationReport(true) {
                    @Override
                    void halt() {
                        throw new AssertionError("the agent would stop the JVM here");
                    }
                }, true);
        installed = true;
    }

    /** Routes guarded calls to {@code guard} as {@code agent}; {@code read_file}'s path must stay under {@code workspace}. */
    static void use(Guard guard, String agent, Path workspace, boolean enforcing) {
        install();
        ToolRules tools = workspace == null ? ToolRules.empty() : ToolRules.builder()
                .tool(ToolPolicy.forTool("read_file").constrain("path", ArgumentRule.pathUnder(workspace)).build()).build();
        SWITCH.delegate = new GuardDispatcher(guard, AgentSettings.of(agent, enforcing, tools, List.of()), TARGETS);
    }

    /** Routes guarded calls to {@code guard} with {@code settings} (read from a policy file, for example). */
    static void use(Guard guard, AgentSettings settings) {
        install();
        SWITCH.delegate = new GuardDispatcher(guard, settings, TARGETS);
    }

    static void use(Dispatcher dispatcher) {
        install();
        SWITCH.delegate = dispatcher;
    }
}
