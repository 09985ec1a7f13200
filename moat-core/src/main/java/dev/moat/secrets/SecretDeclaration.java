package dev.moat.secrets;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A secret and where it may be injected. Nothing is allowed until asked: an HTTP header only for
 * requests to one of {@code httpHosts} (exact host names) over HTTPS, a child process's
 * environment only with {@code processEnv}. Relaxations have loud names:
 * {@code insecureAnyHost} (any destination, so a prompt-injected URL receives the secret) and
 * {@code insecurePlainHttp} (the value crosses the network unencrypted).
 */
public record SecretDeclaration(
        SecretName name,
        SecretSource source,
        Set<String> httpHosts,
        boolean processEnv,
        boolean insecureAnyHost,
        boolean insecurePlainHttp) {

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]+\\]");

    public SecretDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : httpHosts) {
            String n = h.toLowerCase(Locale.ROOT);
            if (!HOST.matcher(n).matches()) {
                throw new IllegalArgumentException("not a host name: " + h);
            }
            hosts.add(n);
        }
        httpHosts = Set.copyOf(hosts);
        if (insecureAnyHost && !httpHosts.isEmpty()) {
            throw new IllegalArgumentException("insecureAnyHost and an explicit host list exclude each other");
        }
    }

    public static Builder builder(SecretName name, SecretSource source) {
        return new Builder(name, source);
    }

    /** True when an HTTP request to {@code host} (lower case) over {@code https} may carry this secret. */
    boolean allowsHttp(String host, boolean https) {
        if (!https && !insecurePlainHttp) {
            return false;
        }
        return insecureAnyHost || httpHosts.contains(host);
    }

    public static final class Builder {
        private final SecretName name;
        private final SecretSource source;
        private final Set<String> hosts = new LinkedHashSet<>();
        private boolean processEnv;
        private boolean anyHost;
        private boolean plainHttp;

        private Builder(SecretName name, SecretSource source) {
            this.name = name;
            this.source = source;
        }

        public Builder httpHost(String... names) {
            hosts.addAll(Set.of(names));
            return this;
        }

        public Builder processEnv() {
            this.processEnv = true;
            return this;
        }

        public Builder insecureAnyHost() {
            this.anyHost = true;
            return this;
        }

        public Builder insecurePlainHttp() {
            this.plainHttp = true;
            return this;
        }

        public SecretDeclaration build() {
            return new SecretDeclaration(name, source, hosts, processEnv, anyHost, plainHttp);
        }
    }
}
