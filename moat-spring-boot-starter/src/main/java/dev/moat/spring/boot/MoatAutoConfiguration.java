package dev.moat.spring.boot;

import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.PolicyRuntime;
import dev.moat.policy.AgentSection;
import dev.moat.policy.MoatPolicy;
import dev.moat.springai.MoatToolCallbacks;
import dev.moat.springai.UserResolver;
import dev.moat.tool.Approver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configures Moat from {@code moat.policy}: the {@link Moat} ({@code PolicyRuntime}, closed
 * with the context: final signed checkpoint, stores released), {@link MoatToolCallbacks} for the
 * policy's agent with the policy's {@code tools:} rules, a decorator that guards the app's {@code ToolCallingManager} (the one Spring AI
 * auto-configures or the app's own), a health indicator and Micrometer metrics. Every bean backs
 * off when the app defines its own.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnProperty(prefix = "moat", name = "policy")
@EnableConfigurationProperties(MoatProperties.class)
public class MoatAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MoatPolicy moatPolicy(MoatProperties properties, ResourceLoader loader) {
        return PolicySource.load(properties.getPolicy(), properties.getBaseDir(), loader);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Moat moat(MoatPolicy policy, ObjectProvider<dev.moat.guard.DecisionObserver> observers) {
        // metrics and the app's own observers see every decision (core isolates their failures)
        return PolicyRuntime.start(policy, observers.orderedStream().toList());
    }

    /** Spring AI: the guarded tools and the decorated ToolCallingManager. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.tool.ToolCallback")
    static class SpringAiConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MoatToolCallbacks moatToolCallbacks(Moat moat, ObjectProvider<MoatPolicy> policy, MoatProperties properties,
                                            ObjectProvider<Approver> approver) {
            MoatPolicy p = policy.getIfAvailable();
            AgentSection section = p == null ? null : p.document().agent();
            String agent = properties.getAgent() != null ? properties.getAgent() : section == null ? null : section.identity();
            if (agent == null) {
                throw new MoatException("moat: name the agent whose capability signs tool calls: set moat.agent, or"
                        + " agent.identity in the policy");
            }
            MoatToolCallbacks.Builder b = MoatToolCallbacks.builder(moat.guard(), agent)
                    .users(UserResolver.contextKey(properties.getSpringAi().getUserKey()));
            b.rules(moat.toolRules()); // the policy's tools: section (PolicyRuntime reads it)
            if (p != null) { // relative @PathUnder values resolve where the policy's own relative paths do
                b.workspace(p.file().toAbsolutePath().getParent());
            }
            approver.ifAvailable(b::approver);
            return b.build();
        }

        @Bean
        @ConditionalOnProperty(prefix = "moat.spring-ai", name = "guard-tool-calls", matchIfMissing = true)
        static BeanPostProcessor moatToolCallingManagerDecorator(ObjectProvider<MoatToolCallbacks> tools,
                ObjectProvider<org.springframework.ai.tool.resolution.ToolCallbackResolver> resolver) {
            return new ToolCallingManagerDecorator(tools, resolver);
        }
    }

    /** Actuator health: {@code /actuator/health/moat}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("moat")
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "moatHealthIndicator")
        MoatHealthIndicator moatHealthIndicator(Moat moat, ObjectProvider<MoatPolicy> policy) {
            MoatPolicy p = policy.getIfAvailable();
            return new MoatHealthIndicator(moat, p == null ? null : p.binding(), Clock.systemUTC());
        }
    }

    /** Micrometer: {@code moat.decisions}, {@code moat.guard.duration}, monitor alerts and sandbox stops. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        MoatMetrics moatMetrics(MeterRegistry registry) {
            return new MoatMetrics(registry);
        }
    }
}
