package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.secrets.SecretName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one call value: what each Guard entry point accepts, and that a misuse never runs anything. */
@Timeout(30)
class ToolCallShapeTest {
    private static final SandboxModule MODULE = SandboxModule.of(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    private ConformanceFixture fx;
    private final AtomicBoolean ran = new AtomicBoolean();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void argumentsDefaultToTheEmptyObjectAndAreCopied() {
        byte[] args = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute").arguments(args).build();
        args[2] = 'X';
        assertThat(new String(call.arguments(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\"}");
        assertThat(ToolCall.builder("a", "tool://x", "execute").build().arguments()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(call.toString()).doesNotContain("hi");
    }

    @Test
    void checkIsTheSameDecisionAsTheCallWithoutRunningAnything() {
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute").arguments("{\"text\":\"hi\"}").build();
        assertThat(fx.guard().check(call).allowed()).isTrue();
        ToolCall denied = ToolCall.builder(ConformanceFixture.AGENT, "tool://wire_money", "execute").build();
        assertThat(fx.guard().check(denied).allowed()).isFalse();
        assertThat(fx.outcomes()).isEmpty();
    }

    @Test
    void aSandboxedCallIsNeverRunAsAJavaBody() {
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute").sandbox(MODULE).build();
        assertThatThrownBy(() -> fx.guard().call(call, () -> ran.getAndSet(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Guard.call(ToolCall)");
        assertThat(ran).isFalse();
        assertThat(fx.decisions()).isEmpty();
    }

    @Test
    void aCallWithoutAModuleCannotBeRunAsSandboxed() {
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute").build();
        assertThatThrownBy(() -> fx.guard().call(call)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.decisions()).isEmpty();
    }

    @Test
    void withoutTheSandboxModuleASandboxedCallFailsClosedAndNamesIt() {
        // moat-core's tests run without moat-sandbox: nothing may run, and never unsandboxed
        assertThat(fx.guard().sandboxAvailable()).isFalse();
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute").sandbox(MODULE).build();
        assertThatThrownBy(() -> fx.guard().call(call)).isInstanceOf(dev.moat.MoatException.class)
                .hasMessageContaining(SandboxProvider.MODULE);
        assertThat(fx.decisions()).isEmpty();
        assertThat(fx.outcomes()).isEmpty();
    }

    @Test
    void egressSecretsNeedASandboxedCall() {
        assertThatThrownBy(() -> ToolCall.builder("a", "tool://x", "execute").egressSecret("Authorization", SecretName.of("api")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sandbox");
    }
}
