package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.crypto.Sha256;
import java.util.HexFormat;

/**
 * The WebAssembly module of a sandboxed tool call ({@link ToolCall.Builder#sandbox}): its bytes
 * with their SHA-256, the sandbox's cache key. Nothing is parsed here: parsing and validation
 * happen in the sandbox (module {@code moat-sandbox}), under its size cap, and give typed outcomes.
 */
public final class SandboxModule {
    /** Hard ceiling on bytes accepted here at all; a sandbox's own cap is usually much lower. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    private final byte[] bytes;
    private final String sha256;

    private SandboxModule(byte[] bytes) {
        this.bytes = bytes;
        this.sha256 = HexFormat.of().formatHex(Sha256.hash(bytes));
    }

    /** Copies {@code bytes}; more than {@link #MAX_BYTES} is a programming error. */
    public static SandboxModule of(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new MoatException("module bytes missing or over " + MAX_BYTES + " bytes");
        }
        return new SandboxModule(bytes.clone());
    }

    /** Lowercase hex SHA-256 of the bytes. */
    public String sha256() {
        return sha256;
    }

    /** Number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "SandboxModule[sha256=" + sha256 + ", size=" + bytes.length + "]";
    }
}
