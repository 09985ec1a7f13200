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
 * The official TypeScript SDK client drives the proxy in front of the real
 * {@code @modelcontextprotocol/server-filesystem}; the agent may read one folder and nothing else.
 */
@Tag("foreign")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilesystemServerTest {
    static final String READ = "tool://mcp/fs/read_text_file";
    static final String WRITE = "tool://mcp/fs/write_file";

    @TempDir
    Path tmp;
    Path folder;
    Path notes;
    ProxyHarness h;

    @BeforeEach
    void setUp() throws Exception {
        folder = Files.createDirectories(tmp.resolve("docs")).toRealPath();
        notes = Files.writeString(folder.resolve("notes.txt"), "the quarterly numbers are fine\n");
        h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")), g -> g
                .allow("tool://mcp/fs/read_text_file", "execute")
                .allow("tool://mcp/fs/list_directory", "execute")
                .allow("tool://mcp/fs/list_allowed_directories", "execute"));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.assertAuditIntact();
        h.close();
    }

    @Test
    void theListShowsOnlyTheGrantedTools() throws Exception {
        var s = h.session("fs", ProxyHarness.filesystemServer(folder), List.of(list()));
        assertThat(s.op(0).path("tools")).extracting(Object::toString)
                .containsExactlyInAnyOrder("\"read_text_file\"", "\"list_directory\"", "\"list_allowed_directories\"");
        assertThat(s.exitCode()).isZero();
        // all 14 definitions were pinned on first sight, granted or not
        assertThat(Files.readString(h.pins.file())).contains("\"write_file\"", "\"read_text_file\"", "\"approved\"");
    }

    @Test
    void anAllowedCallReadsTheFileAndItsOutcomeIsAudited() throws Exception {
        var s = h.session("fs", ProxyHarness.filesystemServer(folder),
                List.of(list(), call("read_text_file", Map.of("path", notes.toString()))));
        assertThat(s.op(1).path("isError").asBoolean()).isFalse();
        assertThat(s.op(1).path("text").asText()).isEqualTo("the quarterly numbers are fine\n");
        assertThat(h.decisions(READ)).singleElement().satisfies(d -> assertThat(d.allowed()).isTrue());
        assertThat(h.outcomes(READ)).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
    }

    @Test
    void aDeniedWriteIsAnErrorResultTheModelCanReadAndTheFileIsUnchanged() throws Exception {
        var s = h.session("fs", ProxyHarness.filesystemServer(folder), List.of(list(),
                call("write_file", Map.of("path", notes.toString(), "content", "pwned")),
                call("read_text_file", Map.of("path", notes.toString()))));
        assertThat(s.op(1).path("ok").asBoolean()).isTrue();
        assertThat(s.op(1).path("isError").asBoolean()).isTrue();
        assertThat(s.op(1).path("text").asText()).contains("write_file", "stage capability", "reason not_granted");
        assertThat(Files.readString(notes)).isEqualTo("the quarterly numbers are fine\n");
        // the session goes on: the next, allowed call works
        assertThat(s.op(2).path("text").asText()).isEqualTo("the quarterly numbers are fine\n");
        assertThat(h.decisions(WRITE)).singleElement().satisfies(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.reasonCode()).isEqualTo("not_granted");
        });
        assertThat(h.outcomes(WRITE)).isEmpty();
    }

    @Test
    void aReadOutsideTheFolderIsRefusedByTheServerAndAuditedAsAnError() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "do not read");
        var s = h.session("fs", ProxyHarness.filesystemServer(folder), List.of(list(),
                call("read_text_file", Map.of("path", secret.toString()))));
        assertThat(s.op(1).path("isError").asBoolean()).isTrue();
        assertThat(s.op(1).path("text").asText()).doesNotContain("do not read");
        assertThat(h.outcomes(READ)).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.ERROR));
    }

    @Test
    void aCallToAToolNeverListedInTheSessionIsRefused() throws Exception {
        var s = h.session("fs", ProxyHarness.filesystemServer(folder),
                List.of(call("read_text_file", Map.of("path", notes.toString()))));
        assertThat(s.op(0).path("isError").asBoolean()).isTrue();
        assertThat(s.op(0).path("text").asText()).contains("reason not_approved", "not listed");
        assertThat(h.decisions(READ)).singleElement().satisfies(d -> assertThat(d.reasonCode()).isEqualTo("not_approved"));
    }
}
