package dev.moat.springai;

import java.util.Objects;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * Wraps a {@link ToolCallbackProvider} (MCP tools from {@code SyncMcpToolCallbackProvider},
 * {@code MethodToolCallbackProvider}, dynamic tools) so that every callback it provides, each time
 * it is asked, runs through a {@link GuardedToolCallback}. Definitions and metadata pass through
 * unchanged, so the model sees the same tools.
 */
public final class GuardedToolCallbackProvider implements ToolCallbackProvider {
    private final ToolCallbackProvider delegate;
    private final MoatToolCallbacks tools;

    GuardedToolCallbackProvider(ToolCallbackProvider delegate, MoatToolCallbacks tools) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tools = Objects.requireNonNull(tools, "tools");
    }

    @Override
    public ToolCallback[] getToolCallbacks() {
        ToolCallback[] provided = delegate.getToolCallbacks();
        if (provided == null) {
            return new ToolCallback[0];
        }
        ToolCallback[] guarded = new ToolCallback[provided.length];
        for (int i = 0; i < provided.length; i++) {
            guarded[i] = tools.guard(provided[i]);
        }
        return guarded;
    }
}
