package dev.moat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditVerification;
import dev.moat.check.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DelegationScenarioTest {
    @TempDir
    Path home;

    @Test
    void everyStepIsDecidedAsExpectedAndTheAuditLogVerifies() throws Exception {
        List<ScenarioStep> seen = new ArrayList<>();
        ScenarioReport report = DelegationScenario.run(home, seen::add);

        assertThat(seen).isEqualTo(report.steps());
        assertThat(report.steps()).allSatisfy(s -> assertThat(s.asExpected()).as(s.title()).isTrue());
        assertThat(report.steps()).filteredOn(ScenarioStep::allowed).hasSize(4);
        assertThat(report.steps()).extracting(ScenarioStep::code).contains(
                ReasonCode.NOT_GRANTED, ReasonCode.EXPLICITLY_DENIED, ReasonCode.INVALID_RESOURCE, ReasonCode.BROADENED,
                ReasonCode.UNTRUSTED_ROOT, ReasonCode.REPLAY, ReasonCode.NOT_SUBJECT, ReasonCode.EXPIRED, ReasonCode.REVOKED);
        assertThat(report.verification()).isInstanceOf(AuditVerification.Intact.class);
        assertThat(report.success()).isTrue();
        assertThat(Files.readAllLines(report.auditLog())).hasSizeGreaterThan(report.steps().size());
    }
}
