package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.moat.sandbox.ExecutionMode;
import dev.moat.sandbox.Sandbox;
import dev.moat.sandbox.SandboxConfig;
import java.util.Locale;

/**
 * The policy file's {@code sandbox:} section: defaults that tighten every token's limits for
 * WebAssembly tools. Example:
 * <pre>
 * sandbox: {mode: compiled, memory_bytes: 33554432, wall_time: 2s, max_output_bytes: 65536}
 * </pre>
 */
public record SandboxSection(
        @JsonProperty("mode") String mode,
        @JsonProperty("memory_bytes") Long memoryBytes,
        @JsonProperty("wall_time") String wallTime,
        @JsonProperty("max_output_bytes") Integer maxOutputBytes,
        @JsonProperty("max_module_bytes") Integer maxModuleBytes,
        @JsonProperty("max_input_bytes") Integer maxInputBytes) {

    /** The sandbox these settings describe; {@link IllegalArgumentException} for a bad value. */
    public Sandbox toSandbox() {
        SandboxConfig.Builder b = Sandbox.builder();
        if (mode != null) {
            b.mode(ExecutionMode.valueOf(mode.toUpperCase(Locale.ROOT)));
        }
        if (memoryBytes != null) {
            b.defaultMemoryBytes(memoryBytes);
        }
        if (wallTime != null) {
            b.defaultWallTime(Durations.parse(wallTime));
        }
        if (maxOutputBytes != null) {
            b.maxOutputBytes(maxOutputBytes);
        }
        if (maxModuleBytes != null) {
            b.maxModuleBytes(maxModuleBytes);
        }
        if (maxInputBytes != null) {
            b.maxInputBytes(maxInputBytes);
        }
        return b.build();
    }
}
