package dev.moat.spring.boot;

import dev.moat.springai.MoatToolCallbacks;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link ToolCallingManager} bean, the one Spring AI's auto-configuration creates or
 * the app's own, in Moat's guarding manager, with the app's {@link ToolCallbackResolver} for tools
 * called by name. So the tools of every ChatClient (defaults, per-request {@code .tools(...)},
 * providers, MCP) are guarded without the app wrapping them. A manager that is already Moat's is
 * left alone.
 */
final class ToolCallingManagerDecorator implements BeanPostProcessor {
    private final ObjectProvider<MoatToolCallbacks> tools;
    private final ObjectProvider<ToolCallbackResolver> resolver;

    ToolCallingManagerDecorator(ObjectProvider<MoatToolCallbacks> tools, ObjectProvider<ToolCallbackResolver> resolver) {
        this.tools = tools;
        this.resolver = resolver;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ToolCallingManager manager) {
            return tools.getObject().manager(manager, resolver.getIfAvailable());
        }
        return bean;
    }
}
