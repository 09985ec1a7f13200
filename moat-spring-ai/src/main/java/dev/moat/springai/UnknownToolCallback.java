package dev.moat.springai;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * Stands for a tool the model called that no callback or resolver provides. It is guarded like
 * any tool (so the attempt is decided and audited) and, if the capability grants it, refuses to
 * run with a {@link ToolExecutionException} the model reads. It exists so that a decorated
 * manager never falls back to resolving a tool on its own, unguarded.
 */
final class UnknownToolCallback implements ToolCallback {
    private final ToolDefinition definition;

    UnknownToolCallback(String name) {
        this.definition = ToolDefinition.builder().name(name).description("unknown tool").inputSchema("{\"type\":\"object\"}").build();
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public String call(String toolInput) {
        throw new ToolExecutionException(definition, new IllegalStateException("no tool named '" + definition.name() + "'"));
    }
}
