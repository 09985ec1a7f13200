package dev.moat.tool;

import dev.moat.MoatException;
import dev.moat.guard.SandboxModule;
import dev.moat.tool.rule.ArgumentPath;
import dev.moat.tool.rule.PathRules;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@link MoatTool}, the parameter rule annotations and {@link Rule}s of a tool method into a
 * {@link ToolPolicy}, for any framework: the adapter says how a parameter is named in the JSON
 * arguments and which names the model may send. Misconfiguration is loud ({@link MoatException})
 * when the tools are built, never a silently unguarded argument.
 */
public final class ToolAnnotations {
    private static final List<Class<? extends Annotation>> RULES = List.of(PathUnder.class, HostIn.class, OneOf.class,
            NoneOf.class, MaxLength.class, Matches.class, Range.class, Required.class, Budget.class, Nullable.class);

    private ToolAnnotations() {}

    /** True when {@code method} carries any Moat annotation (then the policy file may not configure it too). */
    public static boolean annotated(Method method) {
        if (method.isAnnotationPresent(MoatTool.class) || method.getAnnotationsByType(Rule.class).length > 0) {
            return true;
        }
        return Arrays.stream(method.getParameters()).anyMatch(p -> RULES.stream().anyMatch(p::isAnnotationPresent));
    }

    /**
     * The policy of tool {@code tool} implemented by {@code method}.
     *
     * @param argumentName the JSON argument name of a parameter (the framework's own naming)
     * @param workspace    what a relative {@link PathUnder} is resolved against, or {@code null}
     * @param modelArguments the argument names the tool's schema offers the model, or {@code null} if unknown
     */
    public static ToolPolicy policy(String tool, Method method, Function<Parameter, String> argumentName, Path workspace,
                                    Set<String> modelArguments) {
        ToolPolicy.Builder b = ToolPolicy.forTool(tool);
        MoatTool moat = method.getAnnotation(MoatTool.class);
        if (moat != null) {
            if (moat.secrets().length > 0) {
                b.secrets(moat.secrets());
            }
            if (!moat.sandbox().isEmpty()) {
                b.sandbox(module(tool, method, moat.sandbox()));
            }
            if (!moat.resource().isEmpty()) {
                b.resource(moat.resource());
            }
            b.action(moat.action());
            if (moat.approval()) {
                b.requireApproval();
            }
        }
        try {
            for (Parameter p : method.getParameters()) {
                if (RULES.stream().noneMatch(p::isAnnotationPresent)) {
                    continue;
                }
                String name = argumentName.apply(p);
                if (modelArguments != null && !modelArguments.contains(name)) {
                    throw new MoatException("tool '" + tool + "': constrained parameter '" + name
                            + "' is not an argument the model supplies");
                }
                parameterRules(b, p, name, workspace);
            }
            for (Rule r : method.getAnnotationsByType(Rule.class)) {
                b.argument(fromRule(r, workspace));
            }
        } catch (IllegalArgumentException e) {
            throw new MoatException("tool '" + tool + "': " + e.getMessage());
        }
        ToolPolicy policy = b.build();
        if (modelArguments != null) {
            List<String> unknown = policy.arguments().stream().map(PathRules::path).map(ArgumentPath::argument)
                    .filter(a -> !modelArguments.contains(a)).toList();
            if (!unknown.isEmpty()) {
                throw new MoatException("tool '" + tool + "': a rule names argument(s) " + unknown
                        + " that the tool does not have");
            }
        }
        return policy;
    }

    /** Each annotation becomes a {@link PathRules} on the parameter, or inside it at its {@code at()}. */
    private static void parameterRules(ToolPolicy.Builder b, Parameter p, String name, Path workspace) {
        String base = name + (manyValues(p.getType()) ? "[*]" : ""); // an at() path starts from the argument itself
        boolean nullable = p.isAnnotationPresent(Nullable.class);
        PathUnder under = p.getAnnotation(PathUnder.class);
        if (under != null) {
            add(b, base, under.at(), nullable, r -> r.pathUnder(directory(under.value(), workspace)));
        }
        HostIn hosts = p.getAnnotation(HostIn.class);
        if (hosts != null) {
            add(b, base, hosts.at(), nullable, r -> r.hostIn(List.of(hosts.value())));
        }
        OneOf oneOf = p.getAnnotation(OneOf.class);
        if (oneOf != null) {
            add(b, base, oneOf.at(), nullable, r -> r.oneOf(List.of(oneOf.value())));
        }
        NoneOf noneOf = p.getAnnotation(NoneOf.class);
        if (noneOf != null) {
            add(b, base, noneOf.at(), nullable, r -> r.noneOf(List.of(noneOf.value())));
        }
        MaxLength max = p.getAnnotation(MaxLength.class);
        if (max != null) {
            add(b, base, max.at(), nullable, r -> r.maxLength(max.value()));
        }
        Matches matches = p.getAnnotation(Matches.class);
        if (matches != null) {
            add(b, base, matches.at(), nullable, r -> r.matches(matches.value()));
        }
        Range range = p.getAnnotation(Range.class);
        if (range != null) {
            add(b, base, range.at(), nullable, r -> r.range(emptyToNull(range.min()), emptyToNull(range.max())));
        }
        Required required = p.getAnnotation(Required.class);
        if (required != null) {
            add(b, base, required.at(), nullable, PathRules.Builder::required);
        }
        Budget budget = p.getAnnotation(Budget.class);
        if (budget != null) {
            add(b, base, budget.at(), nullable, r -> r.budget(budget.total(), budget.per()));
        }
    }

    private static void add(ToolPolicy.Builder b, String base, String at, boolean nullable,
                            java.util.function.Consumer<PathRules.Builder> rule) {
        String path = at.isEmpty() ? base : ArgumentPath.parse(base.endsWith("[*]") ? base.substring(0, base.length() - 3) : base)
                .then(at).text();
        PathRules.Builder r = PathRules.on(path);
        if (nullable) {
            r.nullable();
        }
        rule.accept(r);
        b.argument(r.build());
    }

    private static PathRules fromRule(Rule r, Path workspace) {
        PathRules.Builder b = PathRules.on(r.path());
        if (!r.whenPath().isEmpty()) {
            b.when(r.whenPath(), r.whenEquals());
        }
        if (r.nullable()) {
            b.nullable();
        }
        if (r.oneOf().length > 0) {
            b.oneOf(List.of(r.oneOf()));
        }
        if (!r.equalTo().isEmpty()) {
            b.equalTo(r.equalTo());
        }
        if (r.noneOf().length > 0) {
            b.noneOf(List.of(r.noneOf()));
        }
        if (r.hostIn().length > 0) {
            b.hostIn(List.of(r.hostIn()));
        }
        if (!r.pathUnder().isEmpty()) {
            b.pathUnder(directory(r.pathUnder(), workspace));
        }
        if (r.maxLength() >= 0) {
            b.maxLength(r.maxLength());
        }
        if (!r.matches().isEmpty()) {
            b.matches(r.matches());
        }
        if (!r.min().isEmpty() || !r.max().isEmpty()) {
            b.range(emptyToNull(r.min()), emptyToNull(r.max()));
        }
        if (r.required()) {
            b.required();
        }
        if (r.absent()) {
            b.absent();
        }
        if (!r.budgetTotal().isEmpty()) {
            b.budget(r.budgetTotal(), r.budgetPer());
        }
        return b.build();
    }

    private static Path directory(String value, Path workspace) {
        Path dir = Path.of(value);
        if (!dir.isAbsolute()) {
            if (workspace == null) {
                throw new IllegalArgumentException("@PathUnder(\"" + value + "\") is relative; give the adapter a workspace directory");
            }
            dir = workspace.resolve(dir);
        }
        return dir;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** A parameter that takes a JSON array: its rules apply to every element. */
    private static boolean manyValues(Class<?> t) {
        return t.isArray() || Collection.class.isAssignableFrom(t);
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
}
