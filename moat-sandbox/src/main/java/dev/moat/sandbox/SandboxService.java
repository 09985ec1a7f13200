package dev.moat.sandbox;

import dev.moat.guard.SandboxProvider;
import dev.moat.guard.SandboxRunner;
import dev.moat.policy.SandboxSection;
import java.util.Locale;

/**
 * Registers this module's {@link Sandbox} as the {@link SandboxProvider} (through
 * {@code META-INF/services}), so a policy's {@code sandbox:} section and sandboxed calls find it.
 */
public final class SandboxService implements SandboxProvider {
    /** For {@link java.util.ServiceLoader}. */
    public SandboxService() {}

    @Override
    public SandboxRunner create(SandboxSection settings) {
        return settings == null ? Sandbox.builder().build() : configure(settings).build();
    }

    /** A builder with the policy section's settings applied over the secure defaults. */
    public static SandboxConfig.Builder configure(SandboxSection s) {
        SandboxConfig.Builder b = Sandbox.builder();
        if (s.normalizedMode() != null) {
            b.mode(ExecutionMode.valueOf(s.normalizedMode().toUpperCase(Locale.ROOT)));
        }
        if (s.memoryBytes() != null) {
            b.defaultMemoryBytes(s.memoryBytes());
        }
        if (s.wallTimeDuration() != null) {
            b.defaultWallTime(s.wallTimeDuration());
        }
        if (s.maxOutputBytes() != null) {
            b.maxOutputBytes(s.maxOutputBytes());
        }
        if (s.maxModuleBytes() != null) {
            b.maxModuleBytes(s.maxModuleBytes());
        }
        if (s.maxInputBytes() != null) {
            b.maxInputBytes(s.maxInputBytes());
        }
        return b;
    }
}
