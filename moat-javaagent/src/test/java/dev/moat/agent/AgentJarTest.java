package dev.moat.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
 * The shipped {@code moat-agent.jar} on an unmodified LangChain4j application in real child JVMs,
 * Java 17 and Java 25: AI-service tool calls (annotated and lambda executors) and direct calls
 * (plain, reflection, MethodHandle) are all guarded, each call decided and audited once.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AgentJarTest {
    static final String APP = "dev.moat.agent.apps.ToolApp";
    static final String AGENT = "  identity: assistant\n";

    static Stream<String> jdks() {
        return Stream.of("17", "25");
    }

    static Path java(String jdk) throws Exception {
        return jdk.equals("25") ? ChildJvm.java25() : ChildJvm.currentJava();
    }

    @Test
    void theJarHoldsOnlyTheBouncyCastleAndByteBuddyClassesTheAgentReachesStoredForStartUp() throws Exception {
        String bc = "inst/dev/moat/agent/shaded/org/bouncycastle/";
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(ChildJvm.agentJar().toFile(), false)) {
            java.util.jar.JarEntry ed25519 = jar.getJarEntry(bc + "math/ec/rfc8032/Ed25519.classdata");
            assertThat(ed25519).isNotNull();
            assertThat(ed25519.getMethod()).isEqualTo(java.util.zip.ZipEntry.STORED);
            // the JCA provider (and its services registration) is unreachable from the agent: left out
            assertThat(jar.getJarEntry(bc + "jce/provider/BouncyCastleProvider.classdata")).isNull();
            assertThat(jar.getJarEntry("inst/META-INF/services/java.security.Provider")).isNull();
            assertThat(jar.stream().filter(e -> e.getName().startsWith(bc)).count()).isBetween(100L, 1000L);
            assertThat(jar.stream().filter(e -> e.getName().contains("org/bouncycastle/") && !e.getName().startsWith(bc))).isEmpty();
            // of Byte Buddy only the ASM the agent rewrites classes with
            String bb = "inst/dev/moat/agent/shaded/net/bytebuddy/";
            assertThat(jar.getJarEntry(bb + "jar/asm/ClassWriter.classdata")).isNotNull()
                    .satisfies(e -> assertThat(e.getMethod()).isEqualTo(java.util.zip.ZipEntry.STORED));
            assertThat(jar.getJarEntry(bb + "asm/Advice.classdata")).isNull();
            assertThat(jar.stream().filter(e -> e.getName().startsWith(bb))).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getName()).startsWith(bb + "jar/asm/"));
            // the sandbox's libraries stay deflated
            assertThat(jar.stream().filter(e -> e.getName().startsWith("inst/dev/moat/agent/shaded/com/dylibso/")))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.getMethod()).isEqualTo(java.util.zip.ZipEntry.DEFLATED));
        }
    }

    @Test
    void withoutTheAgentTheInjectedCallsRun() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of(), ChildJvm.appClasspath(), APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("MODEL-SAW wire_money => sent 5000 to DE00 1234")
                .contains("RUNS echo=2 wire_money=4 lookup=1 delete_all=1");
        assertThat(r.err()).doesNotContain("moat:");
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void everyToolPathIsGuardedAndDecidedOnce(String jdk, @TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://echo", "tool://lookup"), AGENT);

        ChildJvm.Result r = ChildJvm.run(java(jdk), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                ChildJvm.appClasspath(), APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isZero();
        // the model reads the denials as tool results; the chat goes on
        assertThat(r.out()).contains("MODEL-SAW echo => echo:hi")
                .contains("MODEL-SAW wire_money => denied:").contains("(capability/not_granted)")
                .contains("MODEL-SAW lookup => found 1")
                .contains("MODEL-SAW delete_all => denied:");
        // direct calls are denied with MoatDeniedException before the body runs
        assertThat(r.out()).contains("DIRECT plain threw MoatDeniedException: denied:")
                .contains("DIRECT reflection threw MoatDeniedException: denied:")
                .contains("DIRECT methodhandle threw MoatDeniedException: denied:")
                .contains("DIRECT plain-echo ok echo:direct")
                .contains("RUNS echo=2 wire_money=0 lookup=1 delete_all=0");
        // Moat's own log lines (through the agent's SLF4J provider) reach standard error too
        assertThat(r.err()).contains("moat: [INFO] dev.moat.denials: denied agent=assistant action=execute resource=tool://wire_money");
        assertThat(r.err()).contains("moat: guarding LangChain4j AI-service tool executions")
                .contains("moat: guarding 2 tools in 1 class (dev.moat.agent.apps.ToolApp$Tools: echo, wire_money)");
        // one decision per call: the AI-service call of echo is not decided again when LangChain4j invokes the method
        assertThat(TestPolicy.decisions(dir.resolve(".moat").getParent(), "tool://echo")).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"allowed\":true"));
        assertThat(TestPolicy.outcomes(dir, "tool://echo")).hasSize(2);
        assertThat(TestPolicy.decisions(dir, "tool://wire_money")).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("\"allowed\":false").contains("not_granted"));
        assertThat(TestPolicy.outcomes(dir, "tool://wire_money")).isEmpty();
        assertThat(TestPolicy.decisions(dir, "tool://lookup")).hasSize(1);
        assertThat(TestPolicy.lines(dir)).anySatisfy(l -> assertThat(l).contains("moat agent: guarding 2 tools in 1 class"));
    }
}
