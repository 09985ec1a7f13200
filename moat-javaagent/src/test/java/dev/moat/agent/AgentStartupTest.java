package dev.moat.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Start-up in real child JVMs: configured method patterns guard home-grown code in an application
 * that bundles Jackson 2.12 and Bouncy Castle 1.70; in enforce mode an unreadable policy, a missing
 * key or a configured target that cannot be instrumented stops the JVM with one line and exit 1.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AgentStartupTest {
    static final String OLD_LIBS_APP = "dev.moat.agent.apps.OldLibsApp";
    static final String PAYMENTS = "  identity: assistant\n  methods:\n"
            + "    - {class: dev.moat.agent.apps.Payments, method: transfer, resource: \"tool://payments/transfer\"}\n"
            + "    - {class: dev.moat.agent.apps.Payments, method: balance}\n";

    static Stream<String> jdks() {
        return AgentJarTest.jdks();
    }

    static String oldLibsClasspath() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(System.getProperty("moat.app.classes"));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("moat.old.libs")))) {
            jars.sorted().forEach(j -> cp.add(j.toString()));
        }
        return String.join(File.pathSeparator, cp);
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void methodPatternsAreGuardedInAnAppBundlingOldJacksonAndBouncyCastle(String jdk, @TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://balance"), PAYMENTS);

        Path tmp = Files.createDirectory(dir.resolve("tmp"));

        // the policy comes from MOAT_CONFIG here (no agent argument)
        ChildJvm.Result r = ChildJvm.run(AgentJarTest.java(jdk), List.of("-Djava.io.tmpdir=" + tmp, "-javaagent:" + ChildJvm.agentJar()),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of("MOAT_CONFIG", policy.toString()));

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("JACKSON 2.12.7").contains("JSON {\"k\":1}").contains("BC BouncyCastle Security Provider v1.70")
                .contains("BALANCE 42")
                .contains("TRANSFER threw MoatDeniedException: denied: this agent's capability does not grant this tool. (capability/not_granted)")
                .contains("TRANSFERS 0");
        assertThat(r.err()).contains("moat: guarding 2 tools in 1 class (dev.moat.agent.apps.Payments: transfer, balance)");
        assertThat(TestPolicy.decisions(dir, "tool://balance")).singleElement().satisfies(l -> assertThat(l).contains("\"allowed\":true"));
        assertThat(TestPolicy.outcomes(dir, "tool://balance")).singleElement().satisfies(l -> assertThat(l).contains("\"status\":\"ok\""));
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the bridge jar and its directory are gone").isEmpty();
        }
    }

    @Test
    void anUnreadablePolicyStopsTheJvmBeforeTheAppStarts(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(),
                List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + dir.resolve("missing.yaml")),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().filter(l -> l.startsWith("moat:")).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("moat: cannot start, stopping the JVM: ").contains("missing.yaml").contains("cannot read"));
    }

    @Test
    void aMissingKeyFileStopsTheJvm(@TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://balance"), PAYMENTS);
        Files.delete(dir.resolve("keys/assistant.key"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));

        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(),
                List.of("-Djava.io.tmpdir=" + tmp, "-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("moat: cannot start, stopping the JVM: ").contains("assistant.key");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the bridge jar's directory is deleted before the JVM halts").isEmpty();
        }
    }

    @Test
    void aConfiguredTargetThatCannotBeInstrumentedStopsTheJvmBeforeItRuns(@TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://balance"),
                "  identity: assistant\n  methods:\n    - {class: dev.moat.agent.apps.Payments, method: refund}\n");

        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("JACKSON").doesNotContain("BALANCE").doesNotContain("TRANSFER");
        assertThat(r.err()).contains("moat: cannot guard dev.moat.agent.apps.Payments: configured method dev.moat.agent.apps.Payments.refund not found")
                .contains("stopping the JVM");
    }

    @Test
    void anUnknownAgentArgumentStopsTheJvm(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of("-javaagent:" + ChildJvm.agentJar() + "=conifg=x.yaml"),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("moat: cannot start, stopping the JVM: unknown agent argument 'conifg=x.yaml'");
    }

    @Test
    void aMoatStartThatFailsInTheBackgroundStopsTheJvmBeforeAnyToolRuns(@TempDir Path dir) throws Exception {
        // 'root' holds no capability: found once Moat has started, while the application already runs
        Path policy = TestPolicy.write(dir, List.of("tool://balance"), PAYMENTS.replace("identity: assistant", "identity: root"));

        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("BALANCE").doesNotContain("TRANSFER");
        assertThat(r.err()).contains("moat: cannot start, stopping the JVM: agent 'root' has no capability");
    }

    @Test
    void aTamperedAuditLogStopsTheJvmBeforeAnyToolRuns(@TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://balance"), PAYMENTS);
        Files.writeString(dir.resolve("audit.jsonl"), "{\"not\":\"an audit entry\"}\n");

        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                oldLibsClasspath(), OLD_LIBS_APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("BALANCE").doesNotContain("TRANSFER");
        assertThat(r.err().lines().filter(l -> l.startsWith("moat: cannot start")).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("moat: cannot start, stopping the JVM: "));
    }
}
