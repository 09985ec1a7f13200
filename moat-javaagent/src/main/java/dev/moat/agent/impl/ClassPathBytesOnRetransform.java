package dev.moat.agent.impl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Before Java 19 the JVM's reconstituted class file for a retransformation lacks the
 * {@code MethodParameters} attribute (JDK-8240908), so a retransformed {@code @Tool} class would lose
 * its parameter names and LangChain4j would silently pass {@code null} arguments. On those JVMs a
 * retransformation starts from the class file the class's own loader serves instead (when it has
 * one). Classes transformed at load time are unaffected.
 */
final class ClassPathBytesOnRetransform extends ResettableClassFileTransformer.WithDelegation {
    private static final boolean AFFECTED = Runtime.version().feature() < 19;

    ClassPathBytesOnRetransform(ResettableClassFileTransformer delegate) {
        super(delegate);
    }

    static ResettableClassFileTransformer decorate(ResettableClassFileTransformer t) {
        return AFFECTED ? new ClassPathBytesOnRetransform(t) : t;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] buffer)
            throws IllegalClassFormatException {
        return classFileTransformer.transform(loader, name, redefined, domain, original(loader, name, redefined, buffer));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] buffer) throws IllegalClassFormatException {
        return classFileTransformer.transform(module, loader, name, redefined, domain, original(loader, name, redefined, buffer));
    }

    private static byte[] original(ClassLoader loader, String name, Class<?> redefined, byte[] buffer) {
        if (redefined == null || loader == null || name == null) {
            return buffer;
        }
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? buffer : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return buffer;
        }
    }
}
