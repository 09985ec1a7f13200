package dev.moat.cli;

import dev.moat.token.Scope;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What a token grants and denies: {@code --resource R --actions a,b}, plus {@code --allow} and {@code --deny}. */
final class ScopeOptions {
    @Option(names = "--resource", required = true, paramLabel = "PATTERN",
            description = "Resource pattern to grant, e.g. tool://analyze, tool://repo/** (* = one segment, ** = any tail).")
    String resource;

    @Option(names = "--actions", required = true, split = ",", paramLabel = "ACTION",
            description = "Actions granted on --resource, comma-separated (e.g. read,execute; * = all).")
    List<String> actions;

    @Option(names = "--allow", paramLabel = "PATTERN=ACTIONS",
            description = "Another granted scope, e.g. 'tool://search=read'. Repeatable.")
    List<String> extraAllow = new ArrayList<>();

    @Option(names = "--deny", paramLabel = "PATTERN[=ACTIONS]",
            description = "A denial, e.g. 'tool://repo/secrets/**' (all actions) or 'tool://db/*=write'. Denials win. Repeatable.")
    List<String> deny = new ArrayList<>();

    List<Scope> allowed() {
        List<Scope> out = new ArrayList<>();
        out.add(scope("--resource/--actions", resource, actions));
        for (String a : extraAllow) {
            out.add(parse("--allow", a, false));
        }
        return out;
    }

    List<Scope> denied() {
        List<Scope> out = new ArrayList<>();
        for (String d : deny) {
            out.add(parse("--deny", d, true));
        }
        return out;
    }

    private static Scope parse(String option, String text, boolean actionsOptional) {
        int eq = text.lastIndexOf('=');
        if (eq < 0) {
            if (!actionsOptional) {
                throw CliException.usage(option + " '" + text + "': expected PATTERN=ACTIONS");
            }
            return scope(option, text, List.of(Scope.ANY_ACTION));
        }
        return scope(option, text.substring(0, eq), List.of(text.substring(eq + 1).split(",")));
    }

    private static Scope scope(String option, String pattern, List<String> actions) {
        try {
            return Scope.of(pattern, actions.stream().map(String::trim).toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
    }
}
