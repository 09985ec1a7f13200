package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat sandbox run}: limits from the verified token, every run audited, typed stops. */
@Timeout(60)
class SandboxRunTest {
    private static final Path SKILLS = locate();

    @TempDir
    Path dir;

    @BeforeEach
    void token() throws Exception {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice").exit()).isZero();
        CliRun r = CliRun.in(dir, "token", "create", "--issuer", "alice", "--subject", "bob", "--resource", "tool://skills/*",
                "--actions", "execute", "--max-fuel", "2000000", "--max-memory", "4MiB", "--expires-in", "1h");
        assertThat(r.exit()).as(r.toString()).isZero();
        Files.writeString(dir.resolve("in.json"), "{\"name\":\"moat\",\"tags\":[\"a\"],\"n\":3}");
    }

    @Test
    void aSkillRunsUnderTheTokensLimitsAndTheRunIsAudited() {
        CliRun r = CliRun.in(dir, "sandbox", "run", "--token", "bob.token", "--module", skill("json_transform"), "--input", "in.json", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("stdout").asText()).contains("\"NAME\":\"MOAT\"");
        assertThat(j.path("fuelLimit").asLong()).isEqualTo(2_000_000L);
        assertThat(j.path("fuelUsed").asLong()).isPositive();
        CliRun verify = CliRun.in(dir, "audit", "verify", "--json");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.json().path("entries").asLong()).isEqualTo(1);
    }

    @Test
    void anInfiniteLoopIsStoppedByTheTokensFuelAndStillAudited() {
        CliRun r = CliRun.in(dir, "sandbox", "run", "--token", "bob.token", "--module", skill("infinite_loop"), "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.reason()).isEqualTo("sandbox_limit");
        assertThat(r.json().path("stop").asText()).isEqualTo("fuel_exhausted");
        assertThat(r.json().path("fuelUsed").asLong()).isEqualTo(2_000_000L);
        CliRun verify = CliRun.in(dir, "audit", "verify", "--json");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    @Test
    void aTokenThatDoesNotVerifyRunsNothing() throws Exception {
        String text = Files.readString(dir.resolve("bob.token"));
        int at = text.indexOf("\"sig\":\"") + 12;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(dir.resolve("bob.token"), text.substring(0, at) + flipped + text.substring(at + 1));
        CliRun r = CliRun.in(dir, "sandbox", "run", "--token", "bob.token", "--module", skill("json_transform"), "--input", "in.json", "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve(".moat/audit.jsonl"))).isFalse();
    }

    @Test
    void aResourceTheTokenDoesNotGrantIsRefused() {
        CliRun r = CliRun.in(dir, "sandbox", "run", "--token", "bob.token", "--module", skill("json_transform"),
                "--resource", "tool://admin/x", "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.reason()).isEqualTo("not_granted");
    }

    private static String skill(String name) {
        return SKILLS.resolve(name + ".wasm").toString();
    }

    private static Path locate() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("samples/skills/wasm");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("samples/skills/wasm not found");
    }
}
