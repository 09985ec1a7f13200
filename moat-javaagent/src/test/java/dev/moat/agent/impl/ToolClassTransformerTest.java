package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.moat.tool.ToolRules;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's transformer on raw class files: a tool class is rewritten, a class that names no tool
 * is passed over unparsed, and a class that names {@code @Tool} but cannot be read stops the JVM in
 * enforce mode (never defined unguarded), while audit-only mode says so and lets it run.
 */
class ToolClassTransformerTest {

    static final class Mail {
        @Tool("Sends mail")
        String send(String to) {
            return "sent to " + to;
        }
    }

    static final class Plain {
        String send(String to) {
            return to;
        }
    }

    /** Records halts instead of stopping the test JVM. */
    static final class RecordingReport extends InstrumentationReport {
        final List<String> halts = new ArrayList<>();
        final boolean enforce;

        RecordingReport(boolean enforcing) {
            super(enforcing);
            this.enforce = enforcing;
        }

        @Override
        void halt() {
            halts.add("halt");
        }
    }

    private static byte[] bytes(Class<?> type) throws Exception {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static ToolClassTransformer transformer(RecordingReport report, ClassLoader own) {
        return new ToolClassTransformer(AgentSettings.of("assistant", report.enforce, ToolRules.empty(), List.of()),
                new ToolTargets(), report, own);
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    @Test
    void aToolClassIsRewrittenAndAClassWithoutToolsIsPassedOver() throws Exception {
        RecordingReport report = new RecordingReport(true);
        ToolClassTransformer t = transformer(report, new ClassLoader() {});
        ClassLoader loader = getClass().getClassLoader();

        byte[] mail = bytes(Mail.class);
        byte[] rewritten = t.transform(loader, internal(Mail.class), null, null, mail);
        assertThat(rewritten).isNotNull().isNotEqualTo(mail);
        assertThat(new String(rewritten, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("dev/moat/agent/bootstrap/MoatBridge");
        assertThat(report.summary()).isEqualTo("guarding 1 tool in 1 class");

        assertThat(t.transform(loader, internal(Plain.class), null, null, bytes(Plain.class))).isNull();
        assertThat(report.halts).isEmpty();
    }

    @Test
    void theAgentsOwnClassesAndTheJdkAreNeverTargets() throws Exception {
        RecordingReport report = new RecordingReport(true);
        ClassLoader isolated = new ClassLoader() {};
        ToolClassTransformer t = transformer(report, isolated);

        assertThat(t.transform(isolated, internal(Mail.class), null, null, bytes(Mail.class))).isNull();
        assertThat(t.transform(null, "java/lang/Thread", null, null, bytes(Mail.class))).isNull();
        assertThat(report.summary()).isEqualTo("guarding 0 tools in 0 classes");
    }

    @Test
    void aClassNamingToolThatCannotBeReadStopsTheJvmInEnforceMode() throws Exception {
        byte[] broken = Arrays.copyOf(bytes(Mail.class), bytes(Mail.class).length - 40); // truncated: still names @Tool

        RecordingReport enforcing = new RecordingReport(true);
        assertThat(transformer(enforcing, new ClassLoader() {}).transform(getClass().getClassLoader(), internal(Mail.class), null, null, broken))
                .isNull();
        assertThat(enforcing.halts).containsExactly("halt");

        RecordingReport auditOnly = new RecordingReport(false);
        assertThat(transformer(auditOnly, new ClassLoader() {}).transform(getClass().getClassLoader(), internal(Mail.class), null, null, broken))
                .isNull();
        assertThat(auditOnly.halts).isEmpty();
    }
}
