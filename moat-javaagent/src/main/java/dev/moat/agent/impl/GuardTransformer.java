package dev.moat.agent.impl;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * What the agent instruments, by name only (it links no framework): LangChain4j's
 * {@code ToolService.executeWithErrorHandling} (every AI-service tool execution, whatever the
 * executor), methods annotated with LangChain4j's or Spring AI's {@code @Tool} (direct calls), Spring
 * AI's {@code ToolCallback.call(input[, context])} implementations, and the configured method patterns. Classes loaded before the agent are retransformed. A target that matches but
 * cannot be instrumented is reported to {@link InstrumentationReport#failed} (loud; fatal in enforce mode).
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
     * Installs the transformer. On late attach ({@code retransform}) Byte Buddy's transformer is
     * installed at once and matching classes already loaded are retransformed. At premain only JDK
     * classes are loaded: a {@link DeferredTransformer} is registered instead, which passes over every
     * class the byte pre-filter rejects and holds a candidate class until Byte Buddy's transformer,
     * built on a background thread while the application starts, is ready (no candidate class is
     * defined, so no tool can run, before it is instrumented).
     */
    static void install(Instrumentation inst, AgentSettings settings, ToolTargets targets,
                        InstrumentationReport report, boolean retransform) {
        List<ClassPattern> configured = settings.methods().stream().map(AgentSettings.MethodTarget::type).toList();
        if (retransform) {
            builder(settings, targets, report, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(t -> new FilteringTransformer(t, configured))
                    .installOn(inst);
            return;
        }
        DeferredTransformer deferred = DeferredTransformer.start(
                () -> builder(settings, targets, report, AgentBuilder.RedefinitionStrategy.DISABLED).makeRaw(),
                configured, GuardTransformer.class.getClassLoader(), report);
        inst.addTransformer(deferred, inst.isRetransformClassesSupported());
    }

    private static AgentBuilder builder(AgentSettings settings, ToolTargets targets, InstrumentationReport report,
                                        AgentBuilder.RedefinitionStrategy redefinition) {
        ClassLoader own = GuardTransformer.class.getClassLoader();
        ElementMatcher.Junction<TypeDescription> configured = none();
        for (AgentSettings.MethodTarget m : settings.methods()) {
            configured = configured.or(t -> m.type().matches(t.getName()));
        }
        ElementMatcher.Junction<TypeDescription> types = named(TOOL_SERVICE)
                .or(not(isInterface()).and(declaresToolMethod()))
                .or(not(isInterface()).and(isToolCallback()))
                .or(configured);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(redefinition)
                .with(new Listener(report))
                .ignore(nameStartsWith("dev.moat.agent.bootstrap.").or(nameStartsWith("dev.moat.agent.impl."))
                                .or(nameStartsWith("dev.moat.agent.shaded.")).or(nameStartsWith("net.bytebuddy."))
                                .or(nameStartsWith("java.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                                .or(nameStartsWith("com.sun.")).or(isSynthetic()),
                        loader -> loader == own)
                .type(types)
                .transform((builder, type, loader, module, domain) -> transform(builder, type, settings, targets, report));
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

    private static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
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

    /** Reports instrumented classes and failures (a matched class that could not be instrumented). */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final InstrumentationReport report;

        Listener(InstrumentationReport report) {
            this.report = report;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            report.failed(typeName, throwable);
        }
    }
}
