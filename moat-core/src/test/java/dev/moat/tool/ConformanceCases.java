package dev.moat.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared tool-rule conformance cases (spec/tool-rules/conformance.json): the tools as a policy
 * file's {@code tools:} section and the calls with their expected decision. Every adapter's test
 * runs them (YAML section, annotated tools, provider tools), so all give the same decisions.
 */
public final class ConformanceCases {
    /** One call: tool, raw argument text as the model wrote it, conversation, expected decision. */
    public record Case(String name, String tool, String arguments, String conversation, boolean allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ConformanceCases() {}

    /** The spec file, found from any module directory of the repository. */
    public static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("spec/tool-rules/conformance.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("spec/tool-rules/conformance.json not found above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode doc() {
        try {
            return new ObjectMapper().readTree(file().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code tools:} section as JSON text (valid YAML flow), with every key prefixed by {@code prefix}. */
    public static String toolsSection(String prefix) {
        JsonNode tools = doc().get("tools");
        var out = new ObjectMapper().createObjectNode();
        tools.fields().forEachRemaining(e -> out.set(prefix + e.getKey(), e.getValue()));
        return out.toString();
    }

    /** The tool names the cases use. */
    public static List<String> tools() {
        List<String> names = new ArrayList<>();
        doc().get("tools").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * A policy file with one signing agent ({@code assistant}, granted {@code tool://**}), the rate
     * limit raised for a batch of calls, and the tools section.
     */
    public static String policy(String prefix) {
        return """
                version: 1
                id: conformance
                agents:
                  - {name: owner, key: keys/owner.key}
                  - {name: assistant, key: keys/assistant.key}
                trusted_roots: [owner]
                router: {rate_limit: 100000}
                grants:
                  - {issuer: owner, subject: assistant, allow: [{resource: "tool://**", actions: [execute]}], valid_for: 1h}
                tools: %s
                """.formatted(toolsSection(prefix));
    }

    /**
     * Writes what {@link #policy} needs under {@code dir} (the two agents' key files, the
     * {@code workspace/notes} folder) and the policy itself, followed by {@code extra}; returns the file.
     */
    public static Path writePolicy(Path dir, String prefix, String extra) throws java.io.IOException {
        dev.moat.identity.KeyFiles.savePrivate(dev.moat.identity.AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        dev.moat.identity.KeyFiles.savePrivate(dev.moat.identity.AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
        java.nio.file.Files.createDirectories(dir.resolve("workspace/notes"));
        Path file = dir.resolve("moat.yaml");
        java.nio.file.Files.writeString(file, policy(prefix) + extra);
        return file;
    }

    /** A Moat started from {@link #writePolicy writePolicy(dir, prefix, "")}, as an application would start it. */
    public static dev.moat.Moat start(Path dir, String prefix) throws java.io.IOException {
        return dev.moat.PolicyRuntime.start(dev.moat.policy.MoatPolicy.load(writePolicy(dir, prefix, "")));
    }

    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : doc().get("cases")) {
            out.add(new Case(c.get("name").textValue(), c.get("tool").textValue(), c.get("arguments").textValue(),
                    c.has("conversation") ? c.get("conversation").textValue() : "c1", c.get("allowed").booleanValue()));
        }
        return out;
    }
}
