package dev.moat.agent.impl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Wraps Byte Buddy's transformer. Two jobs:
 * <ul>
 * <li>A cheap pre-filter on the raw class bytes: a class that is not LangChain4j's ToolService, does
 *   not mention LangChain4j's {@code @Tool} annotation or Spring AI's tool package
 *   ({@code org/springframework/ai/tool/}: its {@code @Tool}, {@code ToolCallback} and the callback
 *   classes one can extend) in its constant pool and matches no configured class pattern is passed
 *   over without Byte Buddy parsing it (most classes an application loads). A class whose only link
 *   to {@code ToolCallback} is a superclass of the application's own that names no Spring AI tool
 *   type is therefore not guarded; its superclass's {@code call} methods are.</li>
 * <li>Before Java 19 the JVM's reconstituted class file for a retransformation lacks the
 *   {@code MethodParameters} attribute (JDK-8240908), so a retransformed {@code @Tool} class would
 *   lose its parameter names and LangChain4j would silently pass {@code null} arguments. On those
 *   JVMs a retransformation starts from the class file the class's own loader serves (when it has one).</li>
 * </ul>
 */
final class FilteringTransformer extends ResettableClassFileTransformer.WithDelegation {
    private static final boolean RECONSTITUTION_DROPS_PARAMETERS = Runtime.version().feature() < 19;
    private static final byte[] TOOL_DESCRIPTOR = ("L" + GuardTransformer.LANGCHAIN4J_TOOL.replace('.', '/') + ";")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SPRING_AI_TOOL_PACKAGE = "org/springframework/ai/tool/".getBytes(StandardCharsets.UTF_8);
    private static final String TOOL_SERVICE = GuardTransformer.TOOL_SERVICE.replace('.', '/');

    private final List<ClassPattern> configured;

    FilteringTransformer(ResettableClassFileTransformer delegate, List<ClassPattern> configured) {
        super(delegate);
        this.configured = List.copyOf(configured);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] buffer)
            throws IllegalClassFormatException {
        byte[] bytes = original(loader, name, redefined, buffer);
        return candidate(name, bytes) ? classFileTransformer.transform(loader, name, redefined, domain, bytes) : null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] buffer) throws IllegalClassFormatException {
        byte[] bytes = original(loader, name, redefined, buffer);
        return candidate(name, bytes) ? classFileTransformer.transform(module, loader, name, redefined, domain, bytes) : null;
    }

    private boolean candidate(String name, byte[] bytes) {
        return candidate(configured, name, bytes);
    }

    /** True when {@code name} (internal form) may be a guarded target and must reach Byte Buddy. */
    static boolean candidate(List<ClassPattern> configured, String name, byte[] bytes) {
        if (name == null || bytes == null) {
            return true; // let Byte Buddy decide
        }
        if (name.equals(TOOL_SERVICE) || contains(bytes, TOOL_DESCRIPTOR) || contains(bytes, SPRING_AI_TOOL_PACKAGE)) {
            return true;
        }
        if (!configured.isEmpty()) {
            String dotted = name.replace('/', '.');
            for (ClassPattern p : configured) {
                if (p.matches(dotted)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] original(ClassLoader loader, String name, Class<?> redefined, byte[] buffer) {
        if (!RECONSTITUTION_DROPS_PARAMETERS || redefined == null || loader == null || name == null) {
            return buffer;
        }
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? buffer : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return buffer;
        }
    }
}
