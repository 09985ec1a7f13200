package dev.moat.agent.impl;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What the agent instruments, by name only (it links no framework): LangChain4j's
 * {@code ToolService.executeWithErrorHandling} (every AI-service tool execution, whatever the
 * executor), methods annotated with LangChain4j's or Spring AI's {@code @Tool} (direct calls), Spring
 * AI's {@code ToolCallback.call(input[, context])} implementations, and the configured method
 * patterns; {@link ToolClassTransformer} applies it. A target that matches but cannot be
 * instrumented is reported to {@link InstrumentationReport#failed} (loud; fatal in enforce mode).
 */
final class GuardTransformer {
    static final String TOOL_SERVICE = "dev.langchain4j.service.tool.ToolService";
    static final String LANGCHAIN4J_TOOL = "dev.langchain4j.agent.tool.Tool";

    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_WITH_ERROR_HANDLING = isStatic()
            .and(named("executeWithErrorHandling"))
            .and(takesArgument(0, named("dev.langchain4j.agent.tool.ToolExecutionRequest")))
            .and(takesArgument(1, named("dev.langchain4j.service.tool.ToolExecutor")))
            .and(takesArgument(2, named("dev.langchain4j.invocation.InvocationContext")));

    /** {@code String call(String)} and {@code String call(String, ToolContext)} of a Spring AI ToolCallback. */
    private static final ElementMatcher.Junction<MethodDescription> TOOL_CALLBACK_CALL = isMethod()
            .and(not(isAbstract())).and(not(isStatic())).and(not(isBridge()))
            .and(named("call")).and(returns(named("java.lang.String")))
            .and(takesArguments(1).and(takesArgument(0, named("java.lang.String")))
                    .or(takesArguments(2).and(takesArgument(0, named("java.lang.String")))
                            .and(takesArgument(1, named(SpringAiAccess.TOOL_CONTEXT)))));

    private static final ElementMatcher.Junction<MethodDescription> INSTRUMENTABLE = isMethod()
            .and(not(isAbstract())).and(not(isNative())).and(not(isBridge())).and(not(isSynthetic()));

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

    /** True when {@code type} is instrumented: ToolService, a class with {@code @Tool} methods or a ToolCallback, a configured class. */
    static boolean isTarget(TypeDescription type, AgentSettings settings) {
        if (type.getName().equals(TOOL_SERVICE)) {
            return true;
        }
        for (AgentSettings.MethodTarget m : settings.methods()) {
            if (m.type().matches(type.getName())) {
                return true;
            }
        }
        return !type.isInterface() && (declaresToolMethod().matches(type) || isToolCallback().matches(type));
    }

    private static ElementMatcher.Junction<TypeDescription> declaresToolMethod() {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                return !type.getDeclaredMethods().filter(isAnnotatedWith(named(LANGCHAIN4J_TOOL))
                        .or(isAnnotatedWith(named(SpringAiAccess.TOOL_ANNOTATION)))).isEmpty();
            }
        };
    }

    /**
     * A class implementing Spring AI's {@code ToolCallback} (directly or through a superclass or an
     * interface). A hierarchy that cannot be resolved is no match: such a class cannot be linked.
     */
    private static ElementMatcher.Junction<TypeDescription> isToolCallback() {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                try {
                    return implementsToolCallback(type);
                } catch (RuntimeException e) {
                    return false;
                }
            }
        };
    }

    static boolean implementsToolCallback(TypeDescription type) {
        for (TypeDescription.Generic t = type.asGenericType(); t != null; t = t.getSuperClass()) {
            if (extendsToolCallback(t.asErasure())) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code type} names ToolCallback among its interfaces, directly or through one of them. */
    private static boolean extendsToolCallback(TypeDescription type) {
        for (TypeDescription i : type.getInterfaces().asErasures()) {
            if (i.getName().equals(SpringAiAccess.TOOL_CALLBACK) || extendsToolCallback(i)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the advice to {@code type}'s guarded methods; throws when a configured or required method is missing. */
    static DynamicType.Builder<?> instrument(DynamicType.Builder<?> builder, TypeDescription type,
                                                    AgentSettings settings, ToolTargets targets, InstrumentationReport report) {
        String name = type.getName();
        report.attempt(name);
        if (name.equals(TOOL_SERVICE)) {
            if (type.getDeclaredMethods().filter(EXECUTE_WITH_ERROR_HANDLING).isEmpty()) {
                throw new IllegalStateException("ToolService.executeWithErrorHandling(request, executor, context, ...) not found"
                        + " (unsupported LangChain4j version)");
            }
            report.guardedToolService(name);
            return builder.visit(Advice.to(ToolServiceAdvice.class).on(EXECUTE_WITH_ERROR_HANDLING));
        }
        boolean callback = !type.isInterface() && implementsToolCallback(type);
        if (callback && !type.getDeclaredMethods().filter(TOOL_CALLBACK_CALL).isEmpty()) {
            report.guardedToolCallback(name);
            builder = builder.visit(Advice.to(SpringAiAdvice.class).on(TOOL_CALLBACK_CALL));
        }
        List<String> tools = new ArrayList<>();
        ElementMatcher.Junction<MethodDescription> guarded = none();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods().filter(INSTRUMENTABLE)) {
            ToolTargets.Target target = target(type, m, settings);
            if (target != null) {
                targets.register(target);
                tools.add(target.tool());
                guarded = guarded.or(named(m.getInternalName()).and(md -> md.getDescriptor().equals(m.getDescriptor())));
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
        return tools.isEmpty() ? builder : builder.visit(Advice.to(MethodAdvice.class).on(guarded));
    }

    /** The guard target for {@code m}, or {@code null} when it is not a tool. */
    private static ToolTargets.Target target(TypeDescription type, MethodDescription m, AgentSettings settings) {
        String key = ToolTargets.key(type.getName(), m.getInternalName(), m.getDescriptor());
        List<String> params = new ArrayList<>();
        for (ParameterDescription p : m.getParameters()) {
            params.add(p.getName());
        }
        for (AnnotationDescription a : m.getDeclaredAnnotations()) {
            String annotation = a.getAnnotationType().getName();
            if (annotation.equals(LANGCHAIN4J_TOOL) || annotation.equals(SpringAiAccess.TOOL_ANNOTATION)) {
                String tool = annotatedName(a);
                return new ToolTargets.Target(key, tool.isEmpty() ? m.getName() : tool, List.copyOf(params), type.getName(), null, null);
            }
        }
        for (AgentSettings.MethodTarget mt : settings.methods()) {
            if (mt.type().matches(type.getName()) && mt.method().matches(m.getName())) {
                return new ToolTargets.Target(key, toolName(mt, m.getName()), List.copyOf(params), type.getName(), mt.resource(), mt.action());
            }
        }
        return null;
    }

    private static String toolName(AgentSettings.MethodTarget mt, String method) {
        return mt.tool() != null ? mt.tool() : method;
    }

    private static String annotatedName(AnnotationDescription a) {
        try {
            Object v = a.getValue("name").resolve();
            return v instanceof String s ? s : "";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
