package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.mcp.PinStatus;
import dev.moat.mcp.ToolPins;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat mcp approve} over the lock file a proxy writes; {@code moat mcp proxy} usage errors. */
@Timeout(60)
class McpCommandTest {
    @TempDir
    Path dir;

    private ToolPins policyWithPending() throws Exception {
        dev.moat.identity.KeyFiles.savePrivate(dev.moat.identity.AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        Files.writeString(dir.resolve("moat.yaml"), """
                version: 1
                id: mcp-test
                home: state
                agents:
                  - name: owner
                    key: keys/owner.key
                trusted_roots: [owner]
                """);
        ToolPins pins = ToolPins.inHome(dir.resolve("state"));
        pins.observe("files", "read", "d1", true);
        pins.observe("files", "write", "w1", true);
        assertThat(pins.observe("files", "read", "d2", false)).isEqualTo(PinStatus.CHANGED);
        assertThat(pins.observe("files", "exfiltrate", "e1", false)).isEqualTo(PinStatus.NEW);
        return pins;
    }

    @Test
    void approveListsThenApprovesOneToolThenTheRest() throws Exception {
        ToolPins pins = policyWithPending();
        CliRun list = CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "files", "--list");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("read  (changed definition)", "exfiltrate  (new tool)").doesNotContain("write");
        CliRun one = CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "files", "--tool", "read", "--json");
        assertThat(one.json().path("approved").get(0).path("tool").asText()).isEqualTo("read");
        assertThat(one.json().path("approved").get(0).path("previous").asText()).isEqualTo("d1");
        assertThat(pins.isApproved("files", "read", "d2")).isTrue();
        assertThat(pins.isApproved("files", "exfiltrate", "e1")).isFalse();
        CliRun rest = CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "files");
        assertThat(rest.out()).contains("exfiltrate");
        assertThat(CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "files").out()).contains("nothing pending");
    }

    @Test
    void aTypoOrAnUnknownServerIsRefused() throws Exception {
        policyWithPending();
        CliRun typo = CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "files", "--tool", "raed", "--json");
        assertThat(typo.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(typo.reason()).isEqualTo("not_pending");
        assertThat(CliRun.in(dir, "mcp", "approve", "--policy", "moat.yaml", "--server", "nope").exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(CliRun.in(dir, "mcp", "approve", "--policy", "none.yaml", "--server", "files").exit()).isEqualTo(ExitCodes.IO);
    }

    @Test
    void theProxyNeedsExactlyOneUpstream() throws Exception {
        policyWithPending();
        CliRun none = CliRun.in(dir, "mcp", "proxy", "--policy", "moat.yaml", "--agent", "a", "--server", "files");
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        CliRun both = CliRun.in(dir, "mcp", "proxy", "--policy", "moat.yaml", "--agent", "a", "--server", "files",
                "--upstream", "http://127.0.0.1:1/mcp", "--", "node", "server.js");
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("either a server COMMAND");
    }
}
