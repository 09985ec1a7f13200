package dev.moat.policy;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Sha256;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names the policy a message was created under: the policy's id and the SHA-256 of its exact
 * bytes. The PEP's second stage refuses a message bound to any other policy, so a caller cannot
 * shop for a laxer configuration.
 */
public final class PolicyBinding {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final String policyId;
    private final byte[] sha256;

    public PolicyBinding(String policyId, byte[] sha256) {
        if (policyId == null || !ID.matcher(policyId).matches()) {
            throw new IllegalArgumentException("invalid policy id (1-128 of A-Z a-z 0-9 . _ : -)");
        }
        if (sha256 == null || sha256.length != Sha256.LENGTH) {
            throw new IllegalArgumentException("policy hash must be 32 bytes");
        }
        this.policyId = policyId;
        this.sha256 = sha256.clone();
    }

    /** Binds to {@code policyBytes} under {@code policyId}. */
    public static PolicyBinding of(String policyId, byte[] policyBytes) {
        return new PolicyBinding(policyId, Sha256.hash(dev.moat.crypto.Domain.POLICY, policyBytes));
    }

    public String policyId() {
        return policyId;
    }

    public byte[] sha256() {
        return sha256.clone();
    }

    public String sha256Base64Url() {
        return Base64Url.encode(sha256);
    }

    /** Constant-time comparison of id and hash. */
    public boolean matches(PolicyBinding other) {
        return other != null && policyId.equals(other.policyId) && ConstantTime.equal(sha256, other.sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyBinding other && matches(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policyId, java.util.Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return policyId + "@" + sha256Base64Url();
    }
}
