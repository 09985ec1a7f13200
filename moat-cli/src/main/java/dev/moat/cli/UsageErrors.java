package dev.moat.cli;

import dev.moat.policy.Suggestions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a usage error says: an unknown command or option is named as unknown with picocli's
 * "did you mean" suggestions ({@code unknown command 'identiy' (did you mean 'identity'?)}), even
 * when picocli would first complain that a required option is missing (a mistyped
 * {@code --agnet} is the reason {@code --agent} is missing); other errors keep picocli's text.
 */
final class UsageErrors {
    private UsageErrors() {}

    static String describe(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            List<String> suggestions = u.getSuggestions();
            return unknown(cmd.getCommandSpec(), first) + hint(suggestions);
        }
        if (ex instanceof CommandLine.MissingParameterException) {
            String stray = unknownOption(cmd.getCommandSpec(), args);
            if (stray != null) {
                List<String> names = new ArrayList<>(cmd.getCommandSpec().optionsMap().keySet());
                return unknown(cmd.getCommandSpec(), stray)
                        + Suggestions.closest(stray, names).map(s -> " (did you mean '" + s + "'?)").orElse("");
            }
        }
        return ex.getMessage();
    }

    private static String unknown(CommandSpec spec, String arg) {
        if (arg.startsWith("-")) {
            return "unknown option '" + arg + "' for '" + spec.qualifiedName() + "'";
        }
        return spec.subcommands().isEmpty() ? "unexpected argument '" + arg + "' for '" + spec.qualifiedName() + "'"
                : "unknown command '" + arg + "' for '" + spec.qualifiedName() + "'";
    }

    private static String hint(List<String> suggestions) {
        if (suggestions == null || suggestions.isEmpty()) {
            return "";
        }
        return " (did you mean '" + suggestions.get(0) + "'?)"; // picocli orders them best first
    }

    /** The first {@code --option} on the line that neither this command nor the global options know. */
    private static String unknownOption(CommandSpec spec, String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return null;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            boolean known = false;
            for (CommandSpec c = spec; c != null && !known; c = c.parent()) {
                OptionSpec o = c.findOption(name);
                known = o != null;
            }
            if (!known) {
                return name;
            }
        }
        return null;
    }
}
