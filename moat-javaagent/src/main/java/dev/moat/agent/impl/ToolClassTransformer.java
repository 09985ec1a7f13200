package dev.moat.agent.impl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The agent's class file transformer. Three steps per class:
 * <ol>
 * <li>A cheap pre-filter on the raw class bytes: a class that is not LangChain4j's ToolService, does
 *   not mention LangChain4j's or Spring AI's {@code @Tool} annotation or Spring AI's tool package
 *   ({@code org/springframework/ai/tool/}) in its constant pool and matches no configured class
 *   pattern is passed over unparsed (most classes an application loads). A class whose only link to
 *   {@code ToolCallback} is a superclass of the application's own that names no Spring AI tool type
 *   is therefore not guarded; its superclass's {@code call} methods are.</li>
 * <li>The class is read from its bytes ({@link ScannedClass}; its supertypes from its loader's class
 *   files, no class is loaded) and matched ({@link GuardTransformer#isTarget}).</li>
 * <li>A target's guarded methods are rewritten without class-format changes (no new members: it can
 *   be retransformed) by {@link GuardTransformer#instrument}.</li>
 * </ol>
 * Any error once a class is a likely target goes to {@link InstrumentationReport#failed}: fatal in
 * enforce mode, so no target is ever defined uninstrumented.
 *
 * <p>Before Java 19 the JVM's reconstituted class file for a retransformation lacks the
 * {@code MethodParameters} attribute (JDK-8240908), so a retransformed {@code @Tool} class would lose
 * its parameter names and LangChain4j would silently pass {@code null} arguments. On those JVMs a
 * retransformation starts from the class file the class's own loader serves (when it has one).
 */
final class ToolClassTransformer implements ClassFileTransformer {
    private static final boolean RECONSTITUTION_DROPS_PARAMETERS = Runtime.version().feature() < 19;
    private static final String SPRING_AI_TOOL_PACKAGE = "org/springframework/ai/tool/";
    private static final String TOOL_SERVICE = GuardTransformer.TOOL_SERVICE.replace('.', '/');

    private final AgentSettings settings;
    private final ToolTargets targets;
    private final InstrumentationReport report;
    private final List<ClassPattern> configured;
    private final ClassLoader own;

    ToolClassTransformer(AgentSettings settings, ToolTargets targets, InstrumentationReport report, ClassLoader own) {
        this.settings = settings;
        this.targets = targets;
        this.report = report;
        this.configured = settings.methods().stream().map(AgentSettings.MethodTarget::type).toList();
        this.own = own;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] buffer) {
        if (name == null || buffer == null || ignored(name) || own(loader, name)) {
            return null; // the agent's own classes, the JDK's, Byte Buddy's (of an app that has one) are never targets
        }
        byte[] bytes = original(loader, name, redefined, buffer);
        // the class file as Latin-1 text: String.indexOf is compiled (and vectorised) long before this would be
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        boolean likely = name.equals(TOOL_SERVICE) || text.contains(ScannedClass.LANGCHAIN4J_TOOL_DESCRIPTOR)
                || text.contains(ScannedClass.SPRING_AI_TOOL_DESCRIPTOR)
                || (!configured.isEmpty() && configuredMatch(name.replace('/', '.')));
        if (!likely && !text.contains(SPRING_AI_TOOL_PACKAGE)) {
            return null;
        }
        String type = name.replace('/', '.');
        if (likely) {
            report.attempt(type); // names @Tool, is ToolService or is configured: an error from now on is fatal
        }
        try {
            ScannedClass scanned = ScannedClass.of(bytes);
            if (scanned.is(Opcodes.ACC_SYNTHETIC) || !GuardTransformer.isTarget(scanned, settings, loader)) {
                return null;
            }
            return GuardTransformer.instrument(bytes, scanned, settings, loader, targets, report);
        } catch (Throwable t) {
            report.failed(type, t); // halts in enforce mode when the class was a target
            return null;
        }
    }

    /**
     * Late attach: retransforms the loaded classes that may be targets (ToolService, a class declaring
     * an annotated {@code @Tool} method or implementing {@code ToolCallback}, a configured class). A
     * class that cannot be inspected by reflection is retransformed too: the class file decides.
     */
    void retransformLoaded(Instrumentation inst) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = c.getName().replace('.', '/');
            if (inst.isModifiableClass(c) && !ignored(name) && !own(c.getClassLoader(), name) && mayBeTarget(c)) {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(candidates.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError batch) {
            for (Class<?> c : candidates) { // one by one, so that the failing class is the one reported
                try {
                    inst.retransformClasses(c);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                    report.attempt(c.getName());
                    report.failed(c.getName(), e);
                }
            }
        }
    }

    private boolean mayBeTarget(Class<?> c) {
        if (c.getName().equals(GuardTransformer.TOOL_SERVICE) || configuredMatch(c.getName())) {
            return true;
        }
        if (c.isInterface() || c.isArray() || c.isPrimitive() || c.isSynthetic()) {
            return false;
        }
        try {
            for (Method m : c.getDeclaredMethods()) {
                for (Annotation a : m.getDeclaredAnnotations()) {
                    String n = a.annotationType().getName();
                    if (n.equals(GuardTransformer.LANGCHAIN4J_TOOL) || n.equals(SpringAiAccess.TOOL_ANNOTATION)) {
                        return true;
                    }
                }
            }
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (namesToolCallback(k)) {
                    return true;
                }
            }
            return false;
        } catch (Throwable e) {
            return true;
        }
    }

    private static boolean namesToolCallback(Class<?> type) {
        for (Class<?> i : type.getInterfaces()) {
            if (i.getName().equals(SpringAiAccess.TOOL_CALLBACK) || namesToolCallback(i)) {
                return true;
            }
        }
        return false;
    }

    private boolean configuredMatch(String dotted) {
        for (ClassPattern p : configured) {
            if (p.matches(dotted)) {
                return true;
            }
        }
        return false;
    }

    /** JDK classes, the agent's bridge, and Byte Buddy (an application's own copy): never targets. */
    private static boolean ignored(String name) {
        return name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/")
                || name.startsWith("dev/moat/agent/bootstrap/") || name.startsWith("net/bytebuddy/");
    }

    /**
     * A class of the agent itself: every class of its isolated loader (the jar); when the agent shares
     * the application's loader (in-process tests), the agent's own packages only.
     */
    private boolean own(ClassLoader loader, String name) {
        return loader == own && (own != ClassLoader.getSystemClassLoader()
                || name.startsWith("dev/moat/agent/impl/") || name.startsWith("dev/moat/agent/shaded/"));
    }

    private static byte[] original(ClassLoader loader, String name, Class<?> redefined, byte[] buffer) {
        if (!RECONSTITUTION_DROPS_PARAMETERS || redefined == null || loader == null) {
            return buffer;
        }
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? buffer : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return buffer;
        }
    }
}
