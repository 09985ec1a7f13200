package dev.moat.scenario;

import dev.moat.audit.AuditVerification;
import java.nio.file.Path;
import java.util.List;

/** The scenario's steps, where its audit log is, and the result of verifying that log. */
public record ScenarioReport(List<ScenarioStep> steps, Path auditLog, AuditVerification verification) {
    /** True when every step was decided as expected and the audit log verifies. */
    public boolean success() {
        return steps.stream().allMatch(ScenarioStep::asExpected) && verification instanceof AuditVerification.Intact;
    }
}
