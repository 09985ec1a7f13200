package dev.moat.agent.impl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What the agent instruments, by name only (it links no framework): LangChain4j's
 * {@code ToolService.executeWithErrorHandling} (every AI-service tool execution, whatever the
 * executor), methods annotated with LangChain4j's or Spring AI's {@code @Tool} (direct calls), Spring
 * AI's {@code ToolCallback.call(input[, context])} implementations, and the configured method
 * patterns. {@link ToolClassTransformer} applies it; {@link GuardedMethodWriter} rewrites each
 * guarded method. A target that matches but cannot be instrumented throws, and the transformer
 * reports it to {@link InstrumentationReport#failed} (loud; fatal in enforce mode).
 *
 * <p>The rewriting uses the ASM that Byte Buddy bundles ({@code net.bytebuddy.jar.asm}) directly,
 * not Byte Buddy's type pool and advice: those load about 900 classes at start-up, which cost the
 * application about 350 ms (docs/BENCHMARKS.md).
 */
final class GuardTransformer {
    static final String TOOL_SERVICE = "dev.langchain4j.service.tool.ToolService";
    static final String LANGCHAIN4J_TOOL = "dev.langchain4j.agent.tool.Tool";
    private static final String EXECUTE_WITH_ERROR_HANDLING = "executeWithErrorHandling";
    private static final String TOOL_SERVICE_ARGUMENTS = "(Ldev/langchain4j/agent/tool/ToolExecutionRequest;"
            + "Ldev/langchain4j/service/tool/ToolExecutor;Ldev/langchain4j/invocation/InvocationContext;";
    private static final String TOOL_CALLBACK = SpringAiAccess.TOOL_CALLBACK.replace('.', '/');
    private static final String CALL_INPUT = "(Ljava/lang/String;)Ljava/lang/String;";
    private static final String CALL_INPUT_CONTEXT = "(Ljava/lang/String;L" + SpringAiAccess.TOOL_CONTEXT.replace('.', '/')
            + ";)Ljava/lang/String;";
    /** Supertype chains deeper than this are not followed (no real hierarchy comes close). */
    private static final int MAX_HIERARCHY_DEPTH = 64;

    private GuardTransformer() {}

    /**
     * Installs the {@link ToolClassTransformer}. At premain only JDK classes are loaded; on late
     * attach ({@code retransform}) the loaded classes that may be targets are retransformed.
     */
    static void install(Instrumentation inst, AgentSettings settings, ToolTargets targets,
                        InstrumentationReport report, boolean retransform) {
        ToolClassTransformer transformer = new ToolClassTransformer(settings, targets, report, GuardTransformer.class.getClassLoader());
        inst.addTransformer(transformer, inst.isRetransformClassesSupported());
        if (retransform) {
            transformer.retransformLoaded(inst);
        }
    }

    /**
     * True when {@code type} is instrumented: ToolService, a configured class, or a class (not an
     * interface) with {@code @Tool} methods or implementing Spring AI's {@code ToolCallback}, whose
     * supertypes are read from {@code loader}'s class files.
     */
    static boolean isTarget(ScannedClass type, AgentSettings settings, ClassLoader loader) {
        String name = type.typeName();
        if (name.equals(TOOL_SERVICE)) {
            return true;
        }
        for (AgentSettings.MethodTarget m : settings.methods()) {
            if (m.type().matches(name)) {
                return true;
            }
        }
        if (type.is(Opcodes.ACC_INTERFACE)) {
            return false;
        }
        for (ScannedClass.Method m : type.methods()) {
            if (m.tool() != null) {
                return true;
            }
        }
        return implementsToolCallback(type, loader);
    }

    /**
     * A class implementing Spring AI's {@code ToolCallback} (directly or through a superclass or an
     * interface). A hierarchy that cannot be read is no match: such a class cannot be linked.
     */
    static boolean implementsToolCallback(ScannedClass type, ClassLoader loader) {
        try {
            Set<String> seen = new HashSet<>();
            String superName = type.superName();
            if (namesToolCallback(type.interfaces(), loader, seen, 0)) {
                return true;
            }
            for (int depth = 0; superName != null && depth < MAX_HIERARCHY_DEPTH; depth++) {
                ScannedClass superType = header(superName, loader);
                if (superType == null) {
                    return false;
                }
                if (namesToolCallback(superType.interfaces(), loader, seen, 0)) {
                    return true;
                }
                superName = superType.superName();
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean namesToolCallback(List<String> interfaces, ClassLoader loader, Set<String> seen, int depth) {
        if (depth > MAX_HIERARCHY_DEPTH) {
            return false;
        }
        for (String i : interfaces) {
            if (i.equals(TOOL_CALLBACK)) {
                return true;
            }
            if (i.startsWith("java/") || !seen.add(i)) {
                continue;
            }
            ScannedClass header = header(i, loader);
            if (header != null && namesToolCallback(header.interfaces(), loader, seen, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The header (name, supertypes) of {@code internalName} as {@code loader} would load it, or {@code null}. */
    private static ScannedClass header(String internalName, ClassLoader loader) {
        if (internalName.equals("java/lang/Object")) {
            return null;
        }
        String resource = internalName + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            ClassReader reader = new ClassReader(in.readAllBytes());
            return new ScannedClass(reader.getClassName(), reader.getAccess(), reader.getSuperName(),
                    List.of(reader.getInterfaces()), List.of());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Rewrites the guarded methods of {@code type} (whose class file is {@code classFile}) and registers
     * them in {@code targets}; throws when a configured or required method is missing.
     */
    static byte[] instrument(byte[] classFile, ScannedClass type, AgentSettings settings, ClassLoader loader,
                             ToolTargets targets, InstrumentationReport report) {
        String name = type.typeName();
        report.attempt(name);
        Map<String, GuardedMethodWriter.Hook> hooks = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        if (name.equals(TOOL_SERVICE)) {
            for (ScannedClass.Method m : type.methods()) {
                if (m.is(Opcodes.ACC_STATIC) && m.instrumentable() && m.name().equals(EXECUTE_WITH_ERROR_HANDLING)
                        && m.descriptor().startsWith(TOOL_SERVICE_ARGUMENTS)
                        && Type.getReturnType(m.descriptor()).getSort() == Type.OBJECT) {
                    hooks.put(m.name() + m.descriptor(), GuardedMethodWriter.Hook.TOOL_SERVICE);
                }
            }
            if (hooks.isEmpty()) {
                throw new IllegalStateException("ToolService.executeWithErrorHandling(request, executor, context, ...) not found"
                        + " (unsupported LangChain4j version)");
            }
            report.guardedToolService(name);
            return weave(classFile, type, hooks, keys);
        }
        if (!type.is(Opcodes.ACC_INTERFACE) && implementsToolCallback(type, loader)) {
            for (ScannedClass.Method m : type.methods()) {
                if (m.instrumentable() && !m.is(Opcodes.ACC_STATIC) && m.name().equals("call")
                        && (m.descriptor().equals(CALL_INPUT) || m.descriptor().equals(CALL_INPUT_CONTEXT))) {
                    hooks.put(m.name() + m.descriptor(), GuardedMethodWriter.Hook.TOOL_CALLBACK);
                }
            }
            if (!hooks.isEmpty()) {
                report.guardedToolCallback(name);
            }
        }
        List<String> tools = new ArrayList<>();
        for (ScannedClass.Method m : type.methods()) {
            if (!m.instrumentable()) {
                continue;
            }
            ToolTargets.Target target = target(name, m, settings);
            if (target != null) {
                targets.register(target);
                tools.add(target.tool());
                // a ToolCallback's call method that is also a tool is guarded as the callback: one decision
                hooks.putIfAbsent(m.name() + m.descriptor(), GuardedMethodWriter.Hook.METHOD);
                keys.put(m.name() + m.descriptor(), target.key());
            }
        }
        for (AgentSettings.MethodTarget mt : settings.methods()) {
            boolean literal = !mt.type().text().contains("*") && !mt.method().text().contains("*");
            if (literal && mt.type().matches(name) && tools.stream().noneMatch(t -> t.equals(toolName(mt, mt.method().text())))) {
                throw new IllegalStateException("configured method " + mt.type().text() + "." + mt.method().text()
                        + " not found (or abstract/native) in " + name);
            }
        }
        report.guardedTools(name, tools);
        return hooks.isEmpty() ? null : weave(classFile, type, hooks, keys);
    }

    /** The guard target for {@code m}, or {@code null} when it is not a tool. */
    private static ToolTargets.Target target(String type, ScannedClass.Method m, AgentSettings settings) {
        String key = ToolTargets.key(type, m.name(), m.descriptor());
        if (m.tool() != null) {
            return new ToolTargets.Target(key, m.tool().isEmpty() ? m.name() : m.tool(), m.parameters(), type, null, null);
        }
        for (AgentSettings.MethodTarget mt : settings.methods()) {
            if (mt.type().matches(type) && mt.method().matches(m.name())) {
                return new ToolTargets.Target(key, toolName(mt, m.name()), m.parameters(), type, mt.resource(), mt.action());
            }
        }
        return null;
    }

    private static String toolName(AgentSettings.MethodTarget mt, String method) {
        return mt.tool() != null ? mt.tool() : method;
    }

    /**
     * Rewrites the hooked methods and copies everything else unchanged. No member is added or
     * removed, so the result is a valid retransformation.
     */
    private static byte[] weave(byte[] classFile, ScannedClass type, Map<String, GuardedMethodWriter.Hook> hooks,
                                Map<String, String> keys) {
        Map<String, Integer> maxLocals = new HashMap<>();
        for (ScannedClass.Method m : type.methods()) {
            maxLocals.put(m.name() + m.descriptor(), m.maxLocals());
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                frames = (version & 0xFFFF) >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor out = super.visitMethod(access, name, descriptor, signature, exceptions);
                GuardedMethodWriter.Hook hook = hooks.get(name + descriptor);
                if (hook == null) {
                    return out;
                }
                return new GuardedMethodWriter(out, hook, type.name(), access, descriptor, maxLocals.get(name + descriptor),
                        frames, keys.get(name + descriptor));
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }
}
