package dev.moat.crypto;

/**
 * Capability token for exporting private key bytes. Passing {@link #ACCESS} makes every export
 * site easy to find in a code review ({@code grep InsecureKeyExport}).
 */
public final class InsecureKeyExport {
    public static final InsecureKeyExport ACCESS = new InsecureKeyExport();

    private InsecureKeyExport() {}
}
