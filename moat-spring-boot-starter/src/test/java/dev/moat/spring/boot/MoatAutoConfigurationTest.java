package dev.moat.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.springai.MoatToolCallbacks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter configures, how it backs off, and that Moat is closed with the context. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MoatAutoConfigurationTest {
    private final Path home = TestHome.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MoatAutoConfiguration.class, ToolCallingAutoConfiguration.class));

    private ApplicationContextRunner withPolicy() {
        return runner.withPropertyValues("moat.policy=classpath:moat-test.yaml", "moat.base-dir=" + home);
    }

    @Test
    void withoutAPolicyNothingIsConfiguredAndSpringAisManagerIsUntouched() {
        runner.run(ctx -> {
            assertThat(ctx).doesNotHaveBean(Moat.class);
            assertThat(ctx.getBean(ToolCallingManager.class)).isInstanceOf(DefaultToolCallingManager.class);
        });
    }

    @Test
    void thePolicyIsAllItTakes() {
        withPolicy().run(ctx -> {
            assertThat(ctx).hasSingleBean(Moat.class).hasSingleBean(MoatToolCallbacks.class);
            assertThat(ctx.getBean(MoatToolCallbacks.class).agent()).isEqualTo("assistant");
            assertThat(ctx.getBean(ToolCallingManager.class).getClass().getSimpleName()).isEqualTo("MoatToolCallingManager");
        });
    }

    @Test
    void theDecoratorCanBeSwitchedOff() {
        withPolicy().withPropertyValues("moat.spring-ai.guard-tool-calls=false").run(ctx -> {
            assertThat(ctx).hasSingleBean(Moat.class);
            assertThat(ctx.getBean(ToolCallingManager.class)).isInstanceOf(DefaultToolCallingManager.class);
        });
    }

    @Test
    void theAppsOwnBeansWin() {
        withPolicy().withUserConfiguration(OwnTools.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(MoatToolCallbacks.class).hasBean("myTools").doesNotHaveBean("moatToolCallbacks");
            assertThat(ctx.getBean(ToolCallingManager.class).getClass().getSimpleName()).isEqualTo("MoatToolCallingManager");
        });
    }

    @Test
    void moatIsClosedWithTheContext() {
        Moat[] seen = new Moat[1];
        withPolicy().run(ctx -> seen[0] = ctx.getBean(Moat.class));
        assertThatThrownBy(() -> seen[0].audit().flush()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void anAbsentClasspathPolicyFailsTheStart() {
        runner.withPropertyValues("moat.policy=classpath:nope.yaml").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("nope.yaml is not on the class path");
        });
    }

    @Test
    void aFilePolicyResolvesAgainstItsOwnDirectory() throws Exception {
        Path policy = home.resolve("moat.yaml");
        Files.copy(getClass().getResourceAsStream("/moat-test.yaml"), policy);
        runner.withPropertyValues("moat.policy=file:" + policy).run(ctx -> {
            assertThat(ctx).hasSingleBean(Moat.class);
            assertThat(Files.exists(home.resolve(".moat/audit.jsonl"))).isTrue();
        });
        runner.withPropertyValues("moat.policy=" + policy).run(ctx -> assertThat(ctx).hasSingleBean(Moat.class));
    }

    @Test
    void aPolicyWithoutAnAgentNeedsMoatAgent() throws Exception {
        String doc = new String(getClass().getResourceAsStream("/moat-test.yaml").readAllBytes(), StandardCharsets.UTF_8);
        Path policy = home.resolve("no-agent.yaml");
        Files.writeString(policy, doc.substring(0, doc.indexOf("agent:\n")) + doc.substring(doc.indexOf("tools:\n")));
        runner.withPropertyValues("moat.policy=" + policy).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("set moat.agent");
        });
        runner.withPropertyValues("moat.policy=" + policy, "moat.agent=assistant")
                .run(ctx -> assertThat(ctx.getBean(MoatToolCallbacks.class).agent()).isEqualTo("assistant"));
    }

    @Test
    void theToolsSectionsRulesAreEnforced() {
        withPolicy().run(ctx -> {
            MoatToolCallbacks tools = ctx.getBean(MoatToolCallbacks.class);
            MoatStarterTest.RemoteSearch search = new MoatStarterTest.RemoteSearch();
            org.springframework.ai.tool.ToolCallback guarded = tools.guard(search);

            assertThat(guarded.call("{\"q\":\"" + "x".repeat(41) + "\"}")).startsWith("denied:").endsWith("(guard/argument_rejected)");
            assertThat(guarded.call("{\"q\":\"invoice\"}")).isEqualTo("3 hits");
            assertThat(search.inputs).containsExactly("{\"q\":\"invoice\"}");
        });
    }

    @Test
    void healthIsDownWhenTheAuditLogCannotBeWritten() {
        withPolicy().run(ctx -> {
            MoatHealthIndicator health = ctx.getBean(MoatHealthIndicator.class);
            assertThat(health.health(true).getStatus().getCode()).isEqualTo("UP");

            ctx.getBean(Moat.class).audit().close(); // a closed (or broken) log: every call would be denied

            var down = health.health(true);
            assertThat(down.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(down.getDetails().get("audit").toString()).startsWith("not writable");
        });
    }

    @Test
    void idesFindEveryMoatProperty() throws Exception {
        String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json").readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(metadata).contains("\"moat.policy\"", "\"moat.base-dir\"", "\"moat.agent\"",
                "\"moat.spring-ai.guard-tool-calls\"", "\"moat.spring-ai.user-key\"");
    }

    /** An app that builds its own MoatToolCallbacks. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnTools {
        @org.springframework.context.annotation.Bean
        MoatToolCallbacks myTools(Moat moat) {
            return MoatToolCallbacks.builder(moat.guard(), "assistant").build();
        }
    }
}
