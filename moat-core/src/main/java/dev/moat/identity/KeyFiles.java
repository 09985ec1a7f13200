package dev.moat.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.InsecureKeyExport;
import dev.moat.internal.AtomicFiles;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Key files. A private key file is JSON
 * {@code {"id","name","private_key","public_key","type":"moat-agent-key","v":1}} written atomically
 * with owner-only permissions (0600); a public identity file has the same fields minus the private
 * key and {@code "type":"moat-agent-identity"}. Loading a private key file that group or others
 * may read is refused unless {@link #loadPrivateInsecureAllowGroupReadable} is used.
 */
public final class KeyFiles {
    static final int MAX_BYTES = 16 * 1024;
    private static final Set<String> PRIVATE_FIELDS = Set.of("v", "type", "name", "id", "public_key", "private_key");
    private static final Set<String> PUBLIC_FIELDS = Set.of("v", "type", "name", "id", "public_key");

    private KeyFiles() {}

    /** Writes {@code keypair} to {@code file} with owner-only permissions. */
    public static void savePrivate(AgentKeypair keypair, Path file) {
        Map<String, Object> m = publicFields(keypair.identity(), "moat-agent-key");
        byte[] seed = keypair.privateKey().exportSeed(InsecureKeyExport.ACCESS);
        try {
            m.put("private_key", Base64Url.encode(seed));
            AtomicFiles.writeOwnerOnly(file, CanonicalJson.encode(m));
        } catch (IOException e) {
            throw new MoatException("cannot write key file " + file + ": " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Writes the public half, readable by anyone. */
    public static void savePublic(AgentIdentity identity, Path file) {
        try {
            AtomicFiles.write(file, CanonicalJson.encode(publicFields(identity, "moat-agent-identity")));
        } catch (IOException e) {
            throw new MoatException("cannot write identity file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Loads a private key file, refusing one that group or others may read. */
    public static AgentKeypair loadPrivate(Path file) {
        return loadPrivate(file, false);
    }

    /** Loads a private key file even if its permissions are too open. Avoid. */
    public static AgentKeypair loadPrivateInsecureAllowGroupReadable(Path file) {
        return loadPrivate(file, true);
    }

    private static AgentKeypair loadPrivate(Path file, boolean allowOpenPermissions) {
        if (!allowOpenPermissions) {
            requireOwnerOnly(file);
        }
        ObjectNode node = read(file);
        try {
            JsonFields f = JsonFields.of(node, "key file", PRIVATE_FIELDS);
            requireHeader(f, "moat-agent-key");
            byte[] seed = f.bytes("private_key", 32);
            Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
            Arrays.fill(seed, (byte) 0);
            AgentKeypair kp = AgentKeypair.of(f.string("name"), key);
            if (!kp.publicKey().equals(Ed25519PublicKey.of(f.bytes("public_key", 32))) || !kp.id().value().equals(f.string("id"))) {
                throw new MoatException("key file " + file + ": public key or id does not match the private key");
            }
            return kp;
        } catch (Rejection r) {
            throw new MoatException("key file " + file + ": " + r.failure().detail());
        } catch (IllegalArgumentException e) {
            throw new MoatException("key file " + file + ": invalid content");
        }
    }

    /** Loads a public identity file (or the public half of a private key file). */
    public static AgentIdentity loadPublic(Path file) {
        ObjectNode node = read(file);
        try {
            boolean isPrivate = node.has("private_key");
            JsonFields f = JsonFields.of(node, "identity file", isPrivate ? PRIVATE_FIELDS : PUBLIC_FIELDS);
            requireHeader(f, isPrivate ? "moat-agent-key" : "moat-agent-identity");
            AgentIdentity id = new AgentIdentity(f.string("name"), Ed25519PublicKey.of(f.bytes("public_key", 32)));
            if (!id.id().value().equals(f.string("id"))) {
                throw new MoatException("identity file " + file + ": id does not belong to the public key");
            }
            return id;
        } catch (Rejection r) {
            throw new MoatException("identity file " + file + ": " + r.failure().detail());
        } catch (IllegalArgumentException e) {
            throw new MoatException("identity file " + file + ": invalid content");
        }
    }

    /** Reads a public identity file into a typed result instead of throwing. */
    public static Checked<AgentIdentity> tryLoadPublic(Path file) {
        try {
            return Checked.ok(loadPublic(file));
        } catch (MoatException e) {
            return Checked.failed(dev.moat.check.ReasonCode.MALFORMED, e.getMessage());
        }
    }

    private static void requireHeader(JsonFields f, String type) {
        if (f.integer("v") != 1 || !type.equals(f.string("type"))) {
            throw Rejection.malformed("expected a " + type + " file, version 1");
        }
    }

    private static Map<String, Object> publicFields(AgentIdentity identity, String type) {
        Map<String, Object> m = new TreeMap<>();
        m.put("v", 1L);
        m.put("type", type);
        m.put("name", identity.name());
        m.put("id", identity.id().value());
        m.put("public_key", identity.publicKey().toBase64Url());
        return m;
    }

    private static ObjectNode read(Path file) {
        try {
            return StrictJson.parseObject(dev.moat.internal.BoundedFiles.read(file, MAX_BYTES), MAX_BYTES, "key file");
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw new MoatException("key file " + e.getMessage());
        } catch (IOException e) {
            throw new MoatException("cannot read key file " + file + ": " + e.getClass().getSimpleName());
        } catch (Rejection r) {
            throw new MoatException("key file " + file + ": " + r.failure().detail());
        }
    }

    private static void requireOwnerOnly(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: permissions cannot be checked here
        }
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new MoatException("refusing key file " + file + ": group or others have access (chmod 600 it)");
                }
            }
        } catch (IOException e) {
            throw new MoatException("cannot read permissions of " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
