package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.MoatException;
import dev.moat.internal.AtomicFiles;
import dev.moat.json.CanonicalJson;
import dev.moat.internal.StrictJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tool-definition lock file ({@code mcp-tools.lock.json} in the Moat home): per server, per
 * tool, the {@code approved} digest and, when the server has shown a different or a new definition,
 * the {@code pending} one awaiting {@code moat mcp approve}. Canonical JSON; every change is an
 * atomic replace under an exclusive file lock, so proxies and the CLI sharing a home never lose an
 * update. Any unreadable lock file stops the proxy (it cannot tell a pinned tool from a new one).
 *
 * <pre>{"servers":{"fs":{"read_text_file":{"approved":"Q2x..."},"write_file":{"approved":"x1..","pending":"9f.."}}},"version":1}</pre>
 */
public final class ToolPins {
    /** The file name in the home. */
    public static final String FILE = "mcp-tools.lock.json";
    private static final int MAX_BYTES = 8 * 1024 * 1024;

    private final Path file;

    private ToolPins(Path file) {
        this.file = file;
    }

    /** The lock file in {@code home}. */
    public static ToolPins inHome(Path home) {
        return new ToolPins(home.resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** A pending change: the tool, its approved digest ({@code null} for a new tool) and the new one. */
    public record Pending(String tool, String approved, String pending) {}

    /** True when the lock file has an entry for {@code server}. */
    public synchronized boolean knows(String server) {
        return read().containsKey(server);
    }

    /**
     * Records what the server listed. {@code firstSight}: the server is being pinned for the first
     * time in this session, so unknown tools are pinned and approved.
     */
    public synchronized PinStatus observe(String server, String tool, String digest, boolean firstSight) {
        Map<String, String> one = new TreeMap<>();
        one.put(tool, digest);
        return observeAll(server, one, firstSight).get(tool);
    }

    /**
     * As {@link #observe} for a whole listing (tool name to digest, {@code null} for a definition
     * that cannot be pinned), in one update of the file.
     */
    public synchronized Map<String, PinStatus> observeAll(String server, Map<String, String> digests, boolean firstSight) {
        Map<String, PinStatus> out = new TreeMap<>();
        digests.forEach((tool, digest) -> {
            if (digest == null) {
                out.put(tool, PinStatus.UNPINNABLE);
            }
        });
        if (out.size() == digests.size()) {
            return out;
        }
        return update(all -> {
            Map<String, Map<String, String>> tools = all.computeIfAbsent(server, s -> new TreeMap<>());
            digests.forEach((tool, digest) -> {
                if (digest != null) {
                    out.put(tool, observe(tools, tool, digest, firstSight));
                }
            });
            return out;
        });
    }

    private static PinStatus observe(Map<String, Map<String, String>> tools, String tool, String digest, boolean firstSight) {
        Map<String, String> entry = tools.get(tool);
        if (entry == null) {
            entry = new TreeMap<>();
            tools.put(tool, entry);
            if (firstSight) {
                entry.put("approved", digest);
                return PinStatus.PINNED_NOW;
            }
            entry.put("pending", digest);
            return PinStatus.NEW;
        }
        if (digest.equals(entry.get("approved"))) {
            entry.remove("pending");
            return PinStatus.APPROVED;
        }
        entry.put("pending", digest);
        return entry.get("approved") == null ? PinStatus.NEW : PinStatus.CHANGED;
    }

    /** True when {@code digest} is the approved pin of {@code tool} (read from the file now). */
    public synchronized boolean isApproved(String server, String tool, String digest) {
        Map<String, String> entry = read().getOrDefault(server, Map.of()).get(tool);
        return entry != null && digest != null && digest.equals(entry.get("approved"));
    }

    /** The changes awaiting approval for {@code server}. */
    public synchronized List<Pending> pending(String server) {
        List<Pending> out = new ArrayList<>();
        read().getOrDefault(server, Map.of()).forEach((tool, e) -> {
            if (e.get("pending") != null) {
                out.add(new Pending(tool, e.get("approved"), e.get("pending")));
            }
        });
        return out;
    }

    /**
     * Approves the pending definitions of {@code tools} on {@code server} (all pending ones when
     * {@code tools} is empty) and returns what was approved. A named tool with nothing pending is
     * an error, so a typo is not taken for success.
     */
    public synchronized List<Pending> approve(String server, Set<String> tools) {
        return update(all -> {
            Map<String, Map<String, String>> entries = all.get(server);
            if (entries == null) {
                throw new MoatException("no tools of server '" + server + "' are pinned in " + file);
            }
            List<Pending> done = new ArrayList<>();
            for (String t : tools) {
                Map<String, String> e = entries.get(t);
                if (e == null || e.get("pending") == null) {
                    throw new MoatException("tool '" + t + "' of server '" + server + "' has no pending definition");
                }
            }
            entries.forEach((tool, e) -> {
                if (e.get("pending") != null && (tools.isEmpty() || tools.contains(tool))) {
                    done.add(new Pending(tool, e.get("approved"), e.get("pending")));
                    e.put("approved", e.remove("pending"));
                }
            });
            return done;
        });
    }

    private interface Change<T> {
        T apply(Map<String, Map<String, Map<String, String>>> all);
    }

    private <T> T update(Change<T> change) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lck");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Map<String, Map<String, Map<String, String>>> all = read();
                String before = CanonicalJson.encodeToString(all);
                T result = change.apply(all);
                if (!CanonicalJson.encodeToString(all).equals(before)) {
                    Map<String, Object> doc = new TreeMap<>();
                    doc.put("version", 1L);
                    doc.put("servers", all);
                    AtomicFiles.write(file, CanonicalJson.encode(doc));
                }
                return result;
            }
        } catch (IOException e) {
            throw new MoatException("cannot update the MCP tool lock file " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Map<String, Map<String, String>>> read() {
        Map<String, Map<String, Map<String, String>>> all = new TreeMap<>();
        if (!Files.exists(file)) {
            return all;
        }
        ObjectNode doc;
        try {
            doc = StrictJson.parseObject(Files.readAllBytes(file), MAX_BYTES, "MCP tool lock file");
        } catch (IOException | RuntimeException e) {
            throw new MoatException("cannot read the MCP tool lock file " + file + ": " + e.getMessage(), e);
        }
        JsonNode servers = doc.get("servers");
        if (doc.path("version").asLong() != 1 || servers == null || !servers.isObject()) {
            throw new MoatException("the MCP tool lock file " + file + " is not version 1 with a servers object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> s = servers.fields(); s.hasNext(); ) {
            Map.Entry<String, JsonNode> server = s.next();
            Map<String, Map<String, String>> tools = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> t = server.getValue().fields(); t.hasNext(); ) {
                Map.Entry<String, JsonNode> tool = t.next();
                Map<String, String> entry = new TreeMap<>();
                for (String k : List.of("approved", "pending")) {
                    JsonNode v = tool.getValue().get(k);
                    if (v != null && v.isTextual()) {
                        entry.put(k, v.textValue());
                    }
                }
                tools.put(tool.getKey(), entry);
            }
            all.put(server.getKey(), tools);
        }
        return all;
    }
}
