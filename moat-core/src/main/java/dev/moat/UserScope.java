package dev.moat;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.token.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one end user of an agent may reach: scopes whose resources are templates with a
 * {@code {user}} segment ({@code tool://inbox/{user}/**}), filled with the user of each call. The
 * agent delegates the filled scopes to itself (attenuated from its own capability as every
 * delegation is), for at most {@code validFor}, and keeps at most {@code maxUsers} of them (least
 * recently used dropped first). Register one with {@link Capabilities#scopeUsers}.
 *
 * <p>Filling is injection-safe: a user value is accepted only as one plain segment, 1 to 128
 * ASCII letters, digits or {@code _ - . @ +}, not starting with {@code .} and without {@code ..};
 * anything else (a {@code /}, {@code *}, {@code %}, a control or invisible character, any
 * non-ASCII letter) is refused with {@link ReasonCode#INVALID_RESOURCE} and the call is denied. The
 * placeholder must be a whole segment, so one user's value can never cover another user's.
 *
 * @param allow    allowed scopes; each resource may contain {@code {user}} as a whole segment
 * @param validFor lifetime of a per-user capability (never beyond the agent's own)
 * @param maxUsers how many users' capabilities are kept at once
 */
public record UserScope(List<Template> allow, Duration validFor, int maxUsers) {
    /** The placeholder a template's resource is filled at. */
    public static final String PLACEHOLDER = "{user}";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]{0,127}");
    private static final int MAX_USERS = 1_000_000;

    /** One allowed scope: a resource template and its actions. */
    public record Template(String resource, List<String> actions) {
        public Template {
            Objects.requireNonNull(resource, "resource");
            actions = List.copyOf(actions);
            for (int at = resource.indexOf(PLACEHOLDER); at >= 0; at = resource.indexOf(PLACEHOLDER, at + 1)) {
                int end = at + PLACEHOLDER.length();
                boolean wholeSegment = at > 0 && resource.charAt(at - 1) == '/'
                        && (end == resource.length() || resource.charAt(end) == '/');
                if (!wholeSegment) {
                    throw new IllegalArgumentException("template '" + resource + "': " + PLACEHOLDER + " must be a whole segment");
                }
            }
            Scope.of(resource.replace(PLACEHOLDER, "u"), actions.toArray(String[]::new)); // the filled form must parse
        }

        Scope fill(String user) {
            return Scope.of(resource.replace(PLACEHOLDER, user), actions.toArray(String[]::new));
        }
    }

    public UserScope {
        allow = List.copyOf(allow);
        if (allow.isEmpty()) {
            throw new IllegalArgumentException("a user scope needs at least one allowed template");
        }
        Objects.requireNonNull(validFor, "validFor");
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("validFor must be positive");
        }
        if (maxUsers < 1 || maxUsers > MAX_USERS) {
            throw new IllegalArgumentException("maxUsers must be between 1 and " + MAX_USERS);
        }
    }

    /** One template scope: {@code UserScope.of("tool://inbox/{user}/**", "read").validFor(...)}. */
    public static UserScope of(String resource, String... actions) {
        return new UserScope(List.of(new Template(resource, List.of(actions))), Duration.ofMinutes(15), 10_000);
    }

    /** With one more allowed template. */
    public UserScope and(String resource, String... actions) {
        List<Template> more = new ArrayList<>(allow);
        more.add(new Template(resource, List.of(actions)));
        return new UserScope(more, validFor, maxUsers);
    }

    public UserScope validFor(Duration d) {
        return new UserScope(allow, d, maxUsers);
    }

    public UserScope maxUsers(int n) {
        return new UserScope(allow, validFor, n);
    }

    /**
     * The scopes for {@code user}, or a typed failure when {@code user} is missing or not one
     * plain segment (see the class comment).
     */
    public Checked<List<Scope>> fill(String user) {
        Checked<String> checked = checkUser(user);
        if (checked instanceof Checked.Failed<String> f) {
            return Checked.failed(f.failure());
        }
        List<Scope> scopes = new ArrayList<>(allow.size());
        for (Template t : allow) {
            try {
                scopes.add(t.fill(user));
            } catch (IllegalArgumentException e) {
                return Checked.failed(ReasonCode.INVALID_RESOURCE, "the user value does not make a valid resource");
            }
        }
        return Checked.ok(scopes);
    }

    /** The user value itself, when it is one plain segment; never echoed back in the failure. */
    public static Checked<String> checkUser(String user) {
        if (user == null) {
            return Checked.failed(ReasonCode.INVALID_RESOURCE, "the call has no user, and this agent's capabilities are per user");
        }
        if (!USER.matcher(user).matches() || user.contains("..")) {
            return Checked.failed(ReasonCode.INVALID_RESOURCE,
                    "the user value is not one plain segment (1-128 of A-Z a-z 0-9 _ - . @ +, no leading '.', no '..')");
        }
        return Checked.ok(user);
    }
}
