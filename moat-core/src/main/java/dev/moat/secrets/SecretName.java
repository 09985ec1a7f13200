package dev.moat.secrets;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name a secret is declared under, for example {@code crm-api-key}. Names are not secret, but
 * audit events carry only {@link #hash()} so that a log reader learns nothing from them either.
 */
public record SecretName(String value) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public SecretName {
        Objects.requireNonNull(value, "value");
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("secret name must match " + NAME.pattern());
        }
    }

    public static SecretName of(String value) {
        return new SecretName(value);
    }

    /** Base64url (unpadded) SHA-256 of the name's UTF-8 bytes: what audit events carry. */
    public String hash() {
        return Base64Url.encode(Sha256.hash(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return value;
    }
}
