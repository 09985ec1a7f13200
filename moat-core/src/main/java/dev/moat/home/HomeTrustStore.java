package dev.moat.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The home's trusted roots, {@code trusted_roots.json}: {@code {"roots":[{"id":…,"name":…}],"v":1}}.
 * Shared by the CLI ({@code moat identity trust}, {@code token verify}) and a {@code Moat} started
 * from a policy, which trusts the policy's {@code trusted_roots:} <em>and</em> every id listed here.
 * Reads are strict and bounded (1 MiB); writes are atomic, fsynced, owner-only and serialised by a
 * lock on {@code trusted_roots.json.lock}.
 */
public final class HomeTrustStore {
    public static final String NAME = "trusted_roots.json";
    static final int MAX_BYTES = 1 << 20;

    private final Path file;

    public HomeTrustStore(Path file) {
        this.file = file;
    }

    /** The trust store in {@code home}. */
    public static HomeTrustStore in(Path home) {
        return new HomeTrustStore(home.resolve(NAME));
    }

    public Path file() {
        return file;
    }

    /** The trusted root ids with the names they were trusted under; empty when the file is absent. */
    public SortedMap<AgentId, String> read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new HomeException(file + " exceeds " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Collections.emptySortedMap();
        } catch (IOException e) {
            throw new HomeException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of a trust store strictly; {@code what} names it in errors. */
    public static SortedMap<AgentId, String> parse(byte[] bytes, String what) {
        try {
            ObjectNode doc = StrictJson.parseObject(bytes, MAX_BYTES, what);
            if (doc.size() != 2 || !doc.path("v").isIntegralNumber() || doc.get("v").asLong() != 1 || !doc.path("roots").isArray()) {
                throw new HomeException(what + " is not a version 1 trust store");
            }
            TreeMap<AgentId, String> roots = new TreeMap<>();
            for (JsonNode r : doc.get("roots")) {
                String id = r.path("id").isTextual() ? r.get("id").textValue() : "";
                if (!r.isObject() || !AgentId.isWellFormed(id) || !r.path("name").isTextual()) {
                    throw new HomeException(what + " lists an invalid root");
                }
                roots.put(AgentId.parse(id), r.get("name").textValue());
            }
            return Collections.unmodifiableSortedMap(roots);
        } catch (Rejection e) {
            throw new HomeException(what + " is not a valid trust store: " + e.failure().detail());
        }
    }

    /** Adds {@code identity}; returns false when its id was already trusted. */
    public boolean trust(AgentIdentity identity) {
        return update(m -> {
            if (m.containsKey(identity.id())) {
                return null;
            }
            m.put(identity.id(), identity.name());
            return m;
        });
    }

    /** Removes {@code id}; returns false when it was not trusted. */
    public boolean distrust(AgentId id) {
        return update(m -> m.remove(id) == null ? null : m);
    }

    private boolean update(UnaryOperator<TreeMap<AgentId, String>> change) {
        try {
            AtomicFiles.createOwnerOnlyDirectories(file.toAbsolutePath().getParent());
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                TreeMap<AgentId, String> next = change.apply(new TreeMap<>(read()));
                if (next == null) {
                    return false;
                }
                List<Map<String, Object>> roots = new ArrayList<>();
                next.forEach((id, name) -> roots.add(new TreeMap<>(Map.of("id", id.value(), "name", name))));
                Map<String, Object> doc = new TreeMap<>(Map.of("v", 1L, "roots", roots));
                byte[] json = CanonicalJson.encode(doc);
                byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
                out[json.length] = '\n';
                AtomicFiles.writeOwnerOnly(file, out);
                return true;
            }
        } catch (IOException e) {
            throw new HomeException("cannot write " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
