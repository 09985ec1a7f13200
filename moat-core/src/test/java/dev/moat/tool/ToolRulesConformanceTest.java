package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.ToolCall;
import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonLimits;
import dev.moat.pep.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared conformance cases through the policy file's {@code tools:} section, a real policy
 * start-up ({@link PolicyRuntime}) and the guard: each call is signed, checked by the PEP, then by
 * the section's rules on the signed bytes.
 */
@Timeout(120)
class ToolRulesConformanceTest {
    @TempDir
    static Path dir;
    private static Moat moat;

    @BeforeAll
    static void start() throws Exception {
        moat = ConformanceCases.start(dir, "");
    }

    @AfterAll
    static void stop() {
        moat.close();
    }

    @TestFactory
    Stream<DynamicTest> casesThroughTheYamlSection() {
        return ConformanceCases.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ToolPolicy policy = moat.toolRules().find(c.tool()).orElseThrow();
            byte[] args = CanonicalJson.canonicaliseObject(c.arguments(), JsonLimits.DEFAULT);
            CallContext context = new CallContext(null, c.conversation(), java.util.Map.of());
            Decision d = moat.guard().decide(ToolCall.builder("assistant", policy.resource(), policy.action())
                    .arguments(args).context(context).check(policy.check(context, null)).build());
            assertThat(d.allowed()).as(c.name() + ": " + d).isEqualTo(c.allowed());
            if (d instanceof Decision.Deny deny) {
                assertThat(deny.code()).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> theSignedBytesKeepTheModelsNumberNotation() {
        return Stream.of("{\"amount\":10000.0}", "{\"amount\":1E+4}", "{\"amount\":12.50}", "{\"amount\":-0}")
                .map(text -> DynamicTest.dynamicTest(text, () -> assertThat(new String(
                        CanonicalJson.canonicaliseObject(text, JsonLimits.DEFAULT), StandardCharsets.UTF_8)).isEqualTo(text)));
    }
}
