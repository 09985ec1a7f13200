package dev.moat.langchain4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.UserScope;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's resource with placeholders, each a whole segment: {@code {user}} is the call's end user,
 * {@code {name}} the top-level string (or integer) argument {@code name} the model gave, as in
 * {@code tool://inbox/{owner}/read}. Every value must be one plain segment
 * ({@link UserScope#checkUser}); anything else (a {@code /}, {@code ..}, {@code *}, a control or
 * invisible character) is refused, so the model cannot steer a call onto another user's resource
 * by what it writes into an argument.
 */
public final class ResourceTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]{0,63})}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResourceTemplate() {}

    /** Whether {@code resource} has placeholders. */
    public static boolean isTemplate(String resource) {
        return resource.indexOf('{') >= 0;
    }

    /**
     * Checks at build time that every placeholder is a whole segment.
     *
     * @throws IllegalArgumentException naming the tool when one is not
     */
    public static void validate(String tool, String resource) {
        Matcher m = PLACEHOLDER.matcher(resource);
        int found = 0;
        while (m.find()) {
            found++;
            boolean whole = m.start() > 0 && resource.charAt(m.start() - 1) == '/'
                    && (m.end() == resource.length() || resource.charAt(m.end()) == '/');
            if (!whole) {
                throw new IllegalArgumentException("tool '" + tool + "': placeholder " + m.group() + " must be a whole segment");
            }
        }
        long braces = resource.chars().filter(c -> c == '{').count();
        if (braces != found) {
            throw new IllegalArgumentException("tool '" + tool + "': malformed placeholder in resource '" + resource + "'");
        }
    }

    /** The filled resource, or why it cannot be filled (the values are never echoed). */
    public static Checked<String> fill(String resource, byte[] canonicalArguments, boolean argumentsMalformed, String user) {
        if (!isTemplate(resource)) {
            return Checked.ok(resource);
        }
        JsonNode args = null;
        Matcher m = PLACEHOLDER.matcher(resource);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.equals("user")) {
                value = user;
                if (value == null) {
                    return Checked.failed(ReasonCode.INVALID_RESOURCE, "the tool's resource needs the call's user, and the call has none");
                }
            } else {
                if (argumentsMalformed) {
                    return Checked.failed(ReasonCode.INVALID_RESOURCE, "the tool's resource needs argument '" + name + "' and the arguments are malformed");
                }
                if (args == null) {
                    try {
                        args = JSON.readTree(canonicalArguments);
                    } catch (java.io.IOException e) {
                        return Checked.failed(ReasonCode.INVALID_RESOURCE, "the tool's arguments cannot be read");
                    }
                }
                JsonNode v = args == null ? null : args.get(name);
                if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
                    return Checked.failed(ReasonCode.INVALID_RESOURCE, "the tool's resource needs argument '" + name + "' as a string");
                }
                value = v.asText();
            }
            if (!UserScope.checkUser(value).isOk()) {
                return Checked.failed(ReasonCode.INVALID_RESOURCE, "the value for " + m.group()
                        + " in the tool's resource is not one plain segment");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return Checked.ok(out.toString());
    }
}
