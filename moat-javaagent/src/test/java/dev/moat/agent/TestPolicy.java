package dev.moat.agent;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a policy file with fresh keys for the child-JVM tests, and reads its audit log back. */
final class TestPolicy {
    private TestPolicy() {}

    /**
     * A policy in {@code dir}: root issues {@code assistant} the given resources (action execute);
     * {@code agentSection} is the YAML of the {@code agent:} section's body (indented two spaces).
     */
    static Path write(Path dir, List<String> allowedResources, String agentSection) throws IOException {
        Files.createDirectories(dir.resolve("keys"));
        KeyFiles.savePrivate(AgentKeypair.generate("root"), dir.resolve("keys/root.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
        StringBuilder y = new StringBuilder();
        y.append("version: 1\nid: agent-test\nhome: .moat\n");
        y.append("agents:\n  - {name: root, key: keys/root.key}\n  - {name: assistant, key: keys/assistant.key}\n");
        y.append("trusted_roots: [root]\n");
        y.append("grants:\n  - issuer: root\n    subject: assistant\n    allow:\n");
        for (String r : allowedResources) {
            y.append("      - {resource: \"").append(r).append("\", actions: [execute]}\n");
        }
        y.append("    valid_for: 1h\n");
        y.append("audit: {path: audit.jsonl, durability: every_entry}\n");
        y.append("agent:\n").append(agentSection);
        Path policy = dir.resolve("moat.yaml");
        Files.writeString(policy, y.toString(), StandardCharsets.UTF_8);
        return policy;
    }

    /** The audit log's decision lines for {@code resource}. */
    static List<String> decisions(Path dir, String resource) throws IOException {
        return lines(dir).stream().filter(l -> l.contains("\"type\":\"decision\"") && l.contains("\"resource\":\"" + resource + "\"")).toList();
    }

    static List<String> outcomes(Path dir, String resource) throws IOException {
        return lines(dir).stream().filter(l -> l.contains("\"type\":\"tool_outcome\"") && l.contains("\"resource\":\"" + resource + "\"")).toList();
    }

    static List<String> lines(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
    }
}
