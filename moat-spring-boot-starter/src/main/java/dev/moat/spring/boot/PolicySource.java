package dev.moat.spring.boot;

import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads {@code moat.policy}. A {@code classpath:} policy is read from the class path (at most 1 MiB)
 * and anchored at {@code moat.base-dir} (default: the working directory): its relative paths (keys,
 * home, audit log) name files there, never inside the jar, so private keys are not packaged. Any
 * other value is a file path ({@code file:} prefix optional), anchored at its own directory, as
 * {@code Moat.fromPolicy} does.
 */
final class PolicySource {
    static final String CLASSPATH = "classpath:";
    private static final int MAX_BYTES = 1024 * 1024;

    private PolicySource() {}

    static MoatPolicy load(String location, Path baseDir, ResourceLoader loader) {
        if (location.startsWith(CLASSPATH)) {
            Resource r = loader.getResource(location);
            if (!r.exists()) {
                throw new PolicyException("moat.policy: " + location + " is not on the class path");
            }
            byte[] bytes;
            try (InputStream in = r.getInputStream()) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            } catch (IOException e) {
                throw new PolicyException("moat.policy: cannot read " + location + " (" + e.getClass().getSimpleName() + ")");
            }
            if (bytes.length > MAX_BYTES) {
                throw new PolicyException("moat.policy: " + location + " is larger than " + MAX_BYTES + " bytes");
            }
            String name = location.substring(CLASSPATH.length());
            name = name.substring(name.lastIndexOf('/') + 1);
            Path base = (baseDir == null ? Path.of("") : baseDir).toAbsolutePath().normalize();
            return MoatPolicy.parse(base.resolve(name.isEmpty() ? "moat.yaml" : name), bytes);
        }
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return MoatPolicy.load(Path.of(path).toAbsolutePath().normalize());
    }
}
