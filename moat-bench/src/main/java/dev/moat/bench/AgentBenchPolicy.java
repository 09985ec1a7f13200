package dev.moat.bench;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the two policies {@link AgentOverheadBenchmark} runs with, before its JVM starts (the agent
 * reads its policy in premain): {@code agent.yaml} for {@code -javaagent:moat-agent.jar=config=...}
 * and {@code direct.yaml} for the benchmark's own Guard. Same keys, grants and audit settings;
 * separate homes, so the two guards never share a replay journal.
 * Usage: {@code java -cp benchmarks.jar dev.moat.bench.AgentBenchPolicy DIR}
 */
public final class AgentBenchPolicy {
    private AgentBenchPolicy() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("keys"));
        KeyFiles.savePrivate(AgentKeypair.generate("root"), dir.resolve("keys/root.key"));
        KeyFiles.savePrivate(AgentKeypair.generate(AgentOverheadBenchmark.AGENT), dir.resolve("keys/assistant.key"));
        write(dir, "agent", "agent:\n  identity: " + AgentOverheadBenchmark.AGENT + "\n");
        write(dir, "direct", "");
    }

    private static void write(Path dir, String name, String tail) throws Exception {
        String y = "version: 1\nid: agent-bench-" + name + "\nhome: " + name + "-home\n"
                + "agents:\n  - {name: root, key: keys/root.key}\n  - {name: " + AgentOverheadBenchmark.AGENT + ", key: keys/assistant.key}\n"
                + "trusted_roots: [root]\n"
                + "grants:\n  - issuer: root\n    subject: " + AgentOverheadBenchmark.AGENT + "\n    allow:\n"
                + "      - {resource: \"tool://echo\", actions: [execute]}\n    valid_for: 24h\n"
                + "audit: {path: " + name + "-audit.jsonl, durability: batched}\n"
                + "router: {rate_limit: 1000000, rate_window: 1s}\n" + tail; // measure the guard, not the rate limit
        Files.writeString(dir.resolve(name + ".yaml"), y, StandardCharsets.UTF_8);
    }
}
