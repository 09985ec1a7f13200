package dev.moat.langchain4j.internal;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.moat.MoatException;
import dev.moat.tool.ToolAnnotations;
import dev.moat.tool.ToolPolicy;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Set;

/**
 * LangChain4j's side of core's {@link ToolAnnotations}: a parameter's JSON name is its {@code @P}
 * name or its Java name, and the names the model may send are the specification's properties.
 */
public final class AnnotatedTools {
    private AnnotatedTools() {}

    /** The policy for {@code method}, exposed to the model as {@code spec}. */
    public static ToolPolicy policy(ToolSpecification spec, Method method, Path workspace) {
        Set<String> offered = spec.parameters() == null ? Set.of() : spec.parameters().properties().keySet();
        return ToolAnnotations.policy(spec.name(), method, p -> jsonName(spec.name(), p), workspace, offered);
    }

    /** True when {@code method} carries Moat annotations. */
    public static boolean annotated(Method method) {
        return ToolAnnotations.annotated(method);
    }

    private static String jsonName(String tool, Parameter p) {
        P annotation = p.getAnnotation(P.class);
        if (annotation != null && !annotation.name().isBlank()) {
            return annotation.name();
        }
        if (!p.isNamePresent()) {
            throw new MoatException("tool '" + tool + "': parameter names are missing; compile with -parameters or name it with @P(name = ...)");
        }
        return p.getName();
    }
}
