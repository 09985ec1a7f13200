package dev.moat.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.identity.AgentId;
import dev.moat.internal.AtomicFiles;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The home's revocation list, {@code revoked.json}: {@code {"agents":[agent ids],"tokens":[token ids],"v":1}}.
 * The one implementation the CLI ({@code moat token revoke}) and a running {@code Moat}
 * ({@link LiveRevocations}) share. Reads are strict and bounded (16 MiB, well-formed agent ids,
 * token ids of at most 256 characters, no other field); a missing file is an empty list. Writes go
 * through {@link AtomicFiles} (temporary file, fsync, atomic rename, directory fsync, mode 0600) while
 * holding an exclusive lock on {@code revoked.json.lock}, so two writers never lose each other's entries.
 */
public final class RevocationFile {
    public static final String NAME = "revoked.json";
    static final int MAX_BYTES = 16 << 20;
    static final int MAX_TOKEN_ID_CHARS = 256;

    private final Path file;

    public RevocationFile(Path file) {
        this.file = file;
    }

    /** The list in {@code home}. */
    public static RevocationFile in(Path home) {
        return new RevocationFile(home.resolve(NAME));
    }

    public Path file() {
        return file;
    }

    /** Reads the list; an absent file is {@link Revocations#EMPTY}. Throws {@link HomeException} otherwise. */
    public Revocations read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new HomeException(file + " exceeds " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Revocations.EMPTY;
        } catch (IOException e) {
            throw new HomeException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of a revocation list strictly. */
    public static Revocations parse(byte[] bytes, String what) {
        try {
            ObjectNode doc = StrictJson.parseObject(bytes, MAX_BYTES, what);
            if (doc.size() != 3 || !doc.path("v").isIntegralNumber() || doc.get("v").asLong() != 1
                    || !doc.path("agents").isArray() || !doc.path("tokens").isArray()) {
                throw new HomeException(what + " is not a version 1 revocation list");
            }
            Set<String> agents = new TreeSet<>();
            for (JsonNode a : doc.get("agents")) {
                if (!a.isTextual() || !AgentId.isWellFormed(a.textValue())) {
                    throw new HomeException(what + " lists an invalid agent id");
                }
                agents.add(a.textValue());
            }
            Set<String> tokens = new TreeSet<>();
            for (JsonNode t : doc.get("tokens")) {
                if (!t.isTextual() || t.textValue().isEmpty() || t.textValue().length() > MAX_TOKEN_ID_CHARS) {
                    throw new HomeException(what + " lists an invalid token id");
                }
                tokens.add(t.textValue());
            }
            return new Revocations(new TreeSet<>(agents), new TreeSet<>(tokens));
        } catch (Rejection r) {
            throw new HomeException(what + " is not a valid revocation list: " + r.failure().detail());
        }
    }

    /** Adds an agent; returns false when it was already revoked. */
    public boolean revokeAgent(AgentId agent) {
        return update(r -> r.isAgentRevoked(agent) ? null : r.withAgent(agent));
    }

    /** Adds a token id; returns false when it was already revoked. */
    public boolean revokeToken(String tokenId) {
        if (tokenId == null || tokenId.isEmpty() || tokenId.length() > MAX_TOKEN_ID_CHARS) {
            throw new IllegalArgumentException("token id must be 1 to " + MAX_TOKEN_ID_CHARS + " characters");
        }
        return update(r -> r.isTokenRevoked(tokenId) ? null : r.withToken(tokenId));
    }

    private boolean update(java.util.function.UnaryOperator<Revocations> change) {
        try {
            AtomicFiles.createOwnerOnlyDirectories(file.toAbsolutePath().getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                Revocations next = change.apply(read());
                if (next == null) {
                    return false;
                }
                AtomicFiles.writeOwnerOnly(file, encode(next));
                return true;
            }
        } catch (IOException e) {
            throw new HomeException("cannot write " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    static byte[] encode(Revocations r) {
        Map<String, Object> doc = new TreeMap<>();
        doc.put("v", 1L);
        doc.put("agents", java.util.List.copyOf(r.agents()));
        doc.put("tokens", java.util.List.copyOf(r.tokens()));
        byte[] json = CanonicalJson.encode(doc);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    @Override
    public String toString() {
        return "RevocationFile[" + file + "]";
    }
}
