package dev.moat.springai;

import java.util.Objects;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * Wraps a {@link ToolCallbackProvider} (MCP tools from {@code SyncMcpToolCallbackProvider},
 * {@code MethodToolCallbackProvider}, dynamic tools) so that every callback it provides, each time
 * it is asked, runs through a {@link GuardedToolCallback} with the policy for its name (prefixed
 * by the provider's source, {@code mcp/<server>/<tool>}, when one is given). Definitions and
 * metadata pass through unchanged, so the model sees the same tools.
 */
public final class GuardedToolCallbackProvider implements ToolCallbackProvider {
    private final ToolCallbackProvider delegate;
    private final MoatToolCallbacks tools;
    private final String prefix;

    GuardedToolCallbackProvider(ToolCallbackProvider delegate, MoatToolCallbacks tools, String prefix) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.prefix = prefix;
    }

    @Override
    public ToolCallback[] getToolCallbacks() {
        ToolCallback[] provided = delegate.getToolCallbacks();
        if (provided == null) {
            return new ToolCallback[0];
        }
        ToolCallback[] guarded = new ToolCallback[provided.length];
        for (int i = 0; i < provided.length; i++) {
            guarded[i] = tools.guardProvided(provided[i], prefix);
        }
        return guarded;
    }
}
