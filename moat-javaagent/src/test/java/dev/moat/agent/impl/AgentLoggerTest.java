package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent's SLF4J logger: threshold words, one line per event, throwables shown by class and message. */
class AgentLoggerTest {

    @Test
    void thresholdsFromTheSystemPropertyWord() {
        assertThat(AgentLogger.Threshold.of(null)).isEqualTo(AgentLogger.Threshold.INFO);
        assertThat(AgentLogger.Threshold.of(" Warn ")).isEqualTo(AgentLogger.Threshold.WARN);
        assertThat(AgentLogger.Threshold.of("off")).isEqualTo(AgentLogger.Threshold.OFF);
        String err = stderr(() -> assertThat(AgentLogger.Threshold.of("loud")).isEqualTo(AgentLogger.Threshold.INFO));
        assertThat(err).isEqualTo("moat: note: -Dmoat.agent.log=loud is not debug, info, warn, error or off; using info\n");

        AgentLogger warn = new AgentLogger("x", AgentLogger.Threshold.WARN);
        assertThat(warn.isInfoEnabled()).isFalse();
        assertThat(warn.isWarnEnabled()).isTrue();
        AgentLogger off = new AgentLogger("x", AgentLogger.Threshold.OFF);
        assertThat(off.isErrorEnabled()).isFalse();
    }

    @Test
    void oneLinePerEventAtOrAboveTheThreshold() {
        AgentLogger log = new AgentLogger("dev.moat.denials", AgentLogger.Threshold.INFO);
        String err = stderr(() -> {
            log.debug("not shown {}", 1);
            log.info("moat: denied agent={} tool={}", "assistant", "pay");
            log.error("audit failed", new IllegalStateException("disk full"));
        });
        assertThat(err).isEqualTo("moat: [INFO] dev.moat.denials: denied agent=assistant tool=pay\n"
                + "moat: [ERROR] dev.moat.denials: audit failed (IllegalStateException: disk full)\n");
    }

    private static String stderr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
