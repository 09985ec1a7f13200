package dev.moat.mcp;

import static dev.moat.mcp.ProxyHarness.call;
import static dev.moat.mcp.ProxyHarness.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python SDK client ({@code mcp} 2.3.0, which knows 2026-07-28) drives the proxy in
 * front of the real server-filesystem: its {@code server/discover} probe is relayed unchanged, the
 * server's refusal comes back, and the 2025-11-25 handshake and guarded calls follow.
 */
@Tag("foreign")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PythonClientTest {
    @TempDir
    Path tmp;
    ProxyHarness h;
    Path folder;
    Path notes;

    @BeforeEach
    void setUp() throws Exception {
        folder = Files.createDirectories(tmp.resolve("docs")).toRealPath();
        notes = Files.writeString(folder.resolve("notes.txt"), "python can read this\n");
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), g -> g.allow("tool://mcp/fs/read_text_file", "execute"));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.assertAuditIntact();
        h.close();
    }

    @Test
    void thePythonClientListsCallsAndIsRefusedLikeAnyOther() throws Exception {
        var s = h.pythonSession("fs", new StdioUpstream(ProxyHarness.filesystemServer(folder)), List.of(list(),
                call("read_text_file", Map.of("path", notes.toString())),
                call("write_file", Map.of("path", notes.toString(), "content", "overwritten"))));
        assertThat(s.results().get(0).path("handshake").asText()).isEqualTo("initialize 2025-11-25");
        assertThat(s.results().get(1).path("op").asText()).isEqualTo("discover");
        assertThat(s.results().get(1).path("code").asInt()).as("the server's own answer to server/discover").isEqualTo(-32601);
        assertThat(s.results().get(2).path("tools").toString()).isEqualTo("[\"read_text_file\"]");
        assertThat(s.results().get(3).path("text").asText()).isEqualTo("python can read this\n");
        assertThat(s.results().get(4).path("isError").asBoolean()).isTrue();
        assertThat(s.results().get(4).path("text").asText()).contains("reason not_granted");
        assertThat(Files.readString(notes)).isEqualTo("python can read this\n");
        assertThat(h.outcomes("tool://mcp/fs/read_text_file")).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
    }
}
