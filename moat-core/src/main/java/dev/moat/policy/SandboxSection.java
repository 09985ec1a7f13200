package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Locale;

/**
 * The policy file's {@code sandbox:} section: defaults that tighten every token's limits for
 * WebAssembly tools. Example:
 * <pre>
 * sandbox: {mode: compiled, memory_bytes: 33554432, wall_time: 2s, max_output_bytes: 65536}
 * </pre>
 * The sandbox itself is in the module {@code moat-sandbox}; a policy with this section starts only
 * when that module is on the class path.
 */
public record SandboxSection(
        @JsonProperty("mode") String mode,
        @JsonProperty("memory_bytes") Long memoryBytes,
        @JsonProperty("wall_time") String wallTime,
        @JsonProperty("max_output_bytes") Integer maxOutputBytes,
        @JsonProperty("max_module_bytes") Integer maxModuleBytes,
        @JsonProperty("max_input_bytes") Integer maxInputBytes) {

    /** The execution modes a policy may name. */
    public static final java.util.List<String> MODES = java.util.List.of("interpreter", "compiled");

    /** The mode in lower case ({@code interpreter} or {@code compiled}), or {@code null} for the default. */
    public String normalizedMode() {
        if (mode == null) {
            return null;
        }
        String m = mode.toLowerCase(Locale.ROOT);
        if (!MODES.contains(m)) {
            throw new IllegalArgumentException("mode must be one of " + MODES);
        }
        return m;
    }

    /** The wall time, or {@code null} for the default; {@link IllegalArgumentException} for a bad value. */
    public Duration wallTimeDuration() {
        return wallTime == null ? null : Durations.parse(wallTime);
    }

    /** Checks the values that can be judged without the sandbox; {@link IllegalArgumentException} for a bad one. */
    void validate() {
        normalizedMode();
        wallTimeDuration();
    }
}
