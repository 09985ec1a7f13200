package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.policy.SandboxSection;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Service ({@link ServiceLoader}) that creates the {@link SandboxRunner} for WebAssembly tools.
 * The module {@code dev.moat:moat-sandbox} registers one; with it on the class path a policy's
 * {@code sandbox:} section and sandboxed calls work, without it they fail with a
 * {@link MoatException} naming the module: a sandboxed tool never runs unsandboxed.
 */
public interface SandboxProvider {
    /** The Maven coordinates named when no provider is found. */
    String MODULE = "dev.moat:moat-sandbox";

    /**
     * A sandbox with the policy file's settings, or its secure defaults when {@code settings} is
     * {@code null}. Invalid settings throw ({@link IllegalArgumentException} or {@link MoatException}).
     */
    SandboxRunner create(SandboxSection settings);

    /** The first provider on the class path, if any; a broken registration is an error, not "none". */
    static Optional<SandboxProvider> find() {
        try {
            Iterator<SandboxProvider> it = ServiceLoader.load(SandboxProvider.class, SandboxProvider.class.getClassLoader()).iterator();
            return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
        } catch (ServiceConfigurationError e) {
            throw new MoatException("the WebAssembly sandbox provider could not be loaded: " + e.getMessage(), e);
        }
    }

    /** The provider, or a {@link MoatException} saying that {@code what} needs {@link #MODULE}. */
    static SandboxProvider require(String what) {
        return find().orElseThrow(() -> new MoatException(what + " needs the WebAssembly sandbox, which is not on the class path:"
                + " add the module " + MODULE));
    }
}
