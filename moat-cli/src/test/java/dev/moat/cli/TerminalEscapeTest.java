package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.identity.AgentKeypair;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: agent-controlled text in the audit log (a denial detail, an error type) carrying
 * terminal escape sequences (set the window title, clear the screen), a fake second line, C1
 * controls and a bidi override. {@code audit tail} and {@code audit show} print it escaped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TerminalEscapeTest {
    @TempDir
    Path dir;

    @Test
    void auditOutputCarriesNoRawControlOrBidiCharacter() {
        String hostile = "x\u001b]0;pwned\u0007\u001b[2J\n#999   2026-01-01T00:00:00Z  decision  allowed\u009b31m\u202eevil\u007f";
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).build(), AgentKeypair.generate("audit")).open()) {
            a.append(new AuditEvent.Decision("agent:" + hostile, "tool://pay", "invoke", false, "pep3", "not_granted", hostile, "m-1", null));
        }
        CliRun tail = CliRun.in(dir, "audit", "tail", "--path", "audit.jsonl");
        CliRun show = CliRun.in(dir, "audit", "show", "--path", "audit.jsonl", "--index", "0", "--full");
        for (CliRun r : new CliRun[] {tail, show}) {
            assertThat(r.exit()).as(r.toString()).isZero();
            String out = r.out();
            assertThat(out.chars().filter(c -> (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x202e))
                    .as("raw controls in: %s", out).isEmpty();
            assertThat(out).contains("\\u001b]0;pwned\\u0007");
        }
        assertThat(show.out()).contains("\\u202eevil\\u007f").contains("\\u009b31m");
        assertThat(tail.out().lines().count()).as("no fake line").isEqualTo(1);
    }
}
