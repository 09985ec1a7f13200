package dev.moat.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** agentmain: attached to a running JVM whose tool class was loaded (and called) before; it is retransformed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LateAttachTest {

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("dev.moat.agent.AgentJarTest#jdks")
    void aToolClassLoadedBeforeTheAgentIsGuardedAfterAttach(String jdk, @TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://echo"), "  identity: assistant\n");
        List<String> jvmArgs = jdk.equals("25") ? List.of("-XX:+EnableDynamicAgentLoading") : List.of();
        Process p = ChildJvm.start(AgentJarTest.java(jdk), jvmArgs, ChildJvm.appClasspath(), "dev.moat.agent.apps.LateAttachApp",
                List.of(), Map.of());
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> ChildJvm.read(p.getErrorStream()));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                lines.add(line);
            }
            assertThat(lines).contains("BEFORE sent 1 to x");

            VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
            try {
                vm.loadAgent(ChildJvm.agentJar().toString(), "config=" + policy);
            } finally {
                vm.detach();
            }
            try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write("go\n");
            }
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String stderr = err.get(10, TimeUnit.SECONDS);

            assertThat(p.exitValue()).as(stderr).isZero();
            assertThat(lines).contains("AFTER threw MoatDeniedException: denied: this agent's capability does not grant this tool. (capability/not_granted)",
                    "AFTER-ECHO echo:still allowed", "MODEL-SAW echo => echo:late", "RUNS wire_money=1 echo=2");
            assertThat(stderr).contains("moat: attached in enforce mode as 'assistant'")
                    .contains("moat: guarding 2 tools in 1 class");
            assertThat(TestPolicy.decisions(dir, "tool://wire_money")).singleElement().satisfies(l -> assertThat(l).contains("\"allowed\":false"));
        } finally {
            p.destroyForcibly();
        }
    }
}
