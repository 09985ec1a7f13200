package dev.moat.bridge;

import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallCheck;
import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonLimits;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a foreign tool call (name, arguments) to the resource and action Moat checks: {@code
 * tool://<name>} with action {@code execute}, or, for a tool with a declared path argument,
 * {@code tool://<name>/<path>} so that a grant such as {@code tool://read_file/workspace/**}
 * confines the tool to a folder. The path is not normalised here: traversal ({@code ..}), absolute
 * paths (an empty first segment), {@code .}, backslashes and encoded separators make the resource
 * invalid and the PEP refuses it. {@link #argumentCheck} re-derives the resource from the signed
 * arguments after the PEP's allow, so what was checked is what the tool receives.
 */
final class ToolMapping {
    static final String ACTION = "execute";
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Map<String, String> pathArguments;

    ToolMapping(Map<String, String> pathArguments) {
        this.pathArguments = Map.copyOf(pathArguments);
    }

    static boolean isToolName(String name) {
        return name != null && TOOL.matcher(name).matches();
    }

    /** True when {@code tool} has a declared path argument (its resource is derived from it). */
    boolean maps(String tool) {
        return pathArguments.containsKey(tool);
    }

    /** The resource for {@code tool} called with {@code arguments}. */
    String resource(String tool, Map<?, ?> arguments) {
        String arg = pathArguments.get(tool);
        if (arg == null) {
            return "tool://" + tool;
        }
        return arguments.get(arg) instanceof String path ? "tool://" + tool + "/" + path : "tool://" + tool;
    }

    /** The check run after the PEP: the path argument is present and the signed resource is its mapping. */
    CallCheck argumentCheck(String tool) {
        return allow -> {
            // the signed bytes read as core's canonical reader reads them (numbers as written)
            if (!(CanonicalJson.parse(allow.message().body(), JsonLimits.DEFAULT) instanceof Map<?, ?> signed)) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, "signed arguments are not a JSON object");
            }
            String arg = pathArguments.get(tool);
            if (arg != null && !(signed.get(arg) instanceof String)) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument '" + arg + "' must be a path string");
            }
            String expected = resource(tool, signed);
            if (!expected.equals(allow.message().resource())) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, "signed resource does not match the arguments");
            }
            return null;
        };
    }
}
