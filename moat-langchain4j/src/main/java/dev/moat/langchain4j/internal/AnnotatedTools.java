package dev.moat.langchain4j.internal;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.moat.MoatException;
import dev.moat.guard.SandboxModule;
import dev.moat.langchain4j.MoatTool;
import dev.moat.langchain4j.ToolPolicy;
import dev.moat.langchain4j.constraint.ArgumentConstraint;
import dev.moat.langchain4j.constraint.HostIn;
import dev.moat.langchain4j.constraint.Matches;
import dev.moat.langchain4j.constraint.MaxLength;
import dev.moat.langchain4j.constraint.OneOf;
import dev.moat.langchain4j.constraint.PathUnder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@link MoatTool} and the constraint annotations of a {@code @Tool} method into a
 * {@link ToolPolicy}. Misconfiguration is loud ({@link MoatException}) at build time, never a
 * silently unguarded argument.
 */
public final class AnnotatedTools {
    private AnnotatedTools() {}

    /** The policy for {@code method}, exposed to the model as {@code spec}. */
    public static ToolPolicy policy(ToolSpecification spec, Method method, Path workspace) {
        ToolPolicy.Builder b = ToolPolicy.forTool(spec.name());
        MoatTool moat = method.getAnnotation(MoatTool.class);
        if (moat != null) {
            if (moat.secrets().length > 0) {
                b.secrets(moat.secrets());
            }
            if (!moat.sandbox().isEmpty()) {
                b.sandbox(module(spec.name(), method, moat.sandbox()));
            }
            if (!moat.resource().isEmpty()) {
                b.resource(moat.resource());
            }
            b.action(moat.action());
            if (moat.approval()) {
                b.requireApproval();
            }
        }
        for (Parameter p : method.getParameters()) {
            List<ArgumentConstraint> rules = rules(spec.name(), p, workspace);
            if (rules.isEmpty()) {
                continue;
            }
            if (takesOneValue(p.getType())) { // what is checked must be what the tool receives
                rules.add(0, ArgumentConstraint.singleValue(p.getType().getSimpleName()));
            }
            String name = jsonName(spec.name(), p);
            if (spec.parameters() == null || !spec.parameters().properties().containsKey(name)) {
                throw new MoatException("tool '" + spec.name() + "': constrained parameter '" + name
                        + "' is not an argument the model supplies");
            }
            b.constrain(name, rules.toArray(ArgumentConstraint[]::new));
        }
        return b.build();
    }

    private static SandboxModule module(String tool, Method method, String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new MoatException("tool '" + tool + "': sandbox module '" + resource + "' is not on the class path");
            }
            return SandboxModule.of(in.readNBytes(SandboxModule.MAX_BYTES + 1));
        } catch (IOException e) {
            throw new MoatException("tool '" + tool + "': cannot read sandbox module '" + resource + "'", e);
        } catch (IllegalArgumentException e) {
            throw new MoatException("tool '" + tool + "': sandbox module '" + resource + "': " + e.getMessage());
        }
    }

    /** A parameter type that takes one JSON scalar (LangChain4j turns an array into its text for it). */
    private static boolean takesOneValue(Class<?> t) {
        return t.isPrimitive() || t.isEnum() || CharSequence.class.isAssignableFrom(t) || Number.class.isAssignableFrom(t)
                || t == Boolean.class || t == Character.class || t == java.util.UUID.class;
    }

    private static List<ArgumentConstraint> rules(String tool, Parameter p, Path workspace) {
        List<ArgumentConstraint> rules = new ArrayList<>();
        PathUnder under = p.getAnnotation(PathUnder.class);
        if (under != null) {
            Path dir = Path.of(under.value());
            if (!dir.isAbsolute()) {
                if (workspace == null) {
                    throw new MoatException("tool '" + tool + "': @PathUnder(\"" + under.value()
                            + "\") is relative; give MoatTools.Builder.workspace(dir)");
                }
                dir = workspace.resolve(dir);
            }
            rules.add(ArgumentConstraint.pathUnder(dir));
        }
        HostIn hosts = p.getAnnotation(HostIn.class);
        if (hosts != null) {
            rules.add(ArgumentConstraint.hostIn(hosts.value()));
        }
        OneOf oneOf = p.getAnnotation(OneOf.class);
        if (oneOf != null) {
            rules.add(ArgumentConstraint.oneOf(oneOf.value()));
        }
        MaxLength max = p.getAnnotation(MaxLength.class);
        if (max != null) {
            rules.add(ArgumentConstraint.maxLength(max.value()));
        }
        Matches matches = p.getAnnotation(Matches.class);
        if (matches != null) {
            try {
                rules.add(ArgumentConstraint.matches(matches.value()));
            } catch (PatternSyntaxException e) {
                throw new MoatException("tool '" + tool + "': @Matches pattern does not compile: " + e.getDescription());
            }
        }
        return rules;
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
