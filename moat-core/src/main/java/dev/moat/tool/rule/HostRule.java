package dev.moat.tool.rule;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host rule. A value with {@code ://} is a URL and must be {@code http} or {@code https}; a value
 * with another scheme ({@code mailto:}, {@code javascript:}, {@code file:}) is refused; a value with
 * no scheme ({@code www.example.com}, {@code api.example.com:8443/v1}) is read as if it were
 * preceded by {@code https://}. Then: no user info, an ASCII host (internationalised names must be
 * written in punycode, so look-alike letters never match), compared case-insensitively without a
 * trailing dot, equal to an entry or under a {@code *.} entry (any subdomain, not the apex).
 */
final class HostRule {
    /** A scheme, as RFC 3986 spells it, followed by ':' and something that is not a port number. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(?![0-9]+(/|$|\\?|#)).*", Pattern.DOTALL);

    private HostRule() {}

    static String violation(Set<String> allowed, String value) {
        String url;
        if (value.contains("://")) {
            url = value;
        } else if (SCHEME.matcher(value).matches()) {
            return "must be an http or https URL or a host name";
        } else if (value.startsWith("/") || value.startsWith("\\")) {
            return "has no valid host";
        } else {
            url = "https://" + value; // scheme-less: read as https
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c > 0x7e || c < 0x21) {
                return "must be ASCII without spaces (write internationalised host names in punycode)";
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http or https URL";
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
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
