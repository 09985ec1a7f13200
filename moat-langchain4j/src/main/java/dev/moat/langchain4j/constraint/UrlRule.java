package dev.moat.langchain4j.constraint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** The URL rule: http(s) only, no user info, host equal to an entry or under a {@code *.} entry. */
final class UrlRule {
    private UrlRule() {}

    static String violation(Set<String> allowed, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http or https URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry user info";
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "has no valid host";
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String entry : allowed) {
            if (entry.startsWith("*.") ? host.endsWith(entry.substring(1)) : host.equals(entry)) {
                return null;
            }
        }
        return "host " + host + " is not in the allow-list";
    }
}
