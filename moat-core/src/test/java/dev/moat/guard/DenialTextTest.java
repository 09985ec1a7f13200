package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a model is told: stage and reason code, never the policy's values unless detailed. */
@Timeout(10)
class DenialTextTest {
    private static final String IBAN = "DE89370400440532013000";
    private final Decision.Deny iban = Decision.Deny.of(Stage.GUARD, ReasonCode.ARGUMENT_REJECTED,
            "argument 'iban' must be one of [" + IBAN + "]");
    private final Decision.Deny path = Decision.Deny.of(Stage.GUARD, ReasonCode.ARGUMENT_REJECTED,
            "argument 'path' must be under /home/alice/workspace");
    private final Decision.Deny scope = Decision.Deny.of(Stage.CAPABILITY, ReasonCode.NOT_GRANTED,
            "scope tool://payments/transfer [execute] not granted");

    @Test
    void theBriefTextNamesStageAndCodeButNoPolicyValue() {
        assertThat(DenialText.BRIEF.forModel(iban)).isEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)")
                .doesNotContain(IBAN);
        assertThat(DenialText.BRIEF.forModel(path)).doesNotContain("/home/alice");
        assertThat(DenialText.BRIEF.forModel(scope)).contains("(capability/not_granted)").doesNotContain("payments");
        assertThat(DenialText.BRIEF.forModel("transfer", iban))
                .isEqualTo("Moat denied the call to tool 'transfer' (stage guard, reason argument_rejected): the arguments are not allowed.");
    }

    @Test
    void theDetailedTextAddsTheDetail() {
        assertThat(DenialText.DETAILED.forModel(iban)).isEqualTo("denied: argument 'iban' must be one of [" + IBAN + "] (guard/argument_rejected)");
        assertThat(DenialText.DETAILED.forModel("transfer", iban)).contains("Detail: argument 'iban'").contains(IBAN);
        assertThat(DenialText.DETAILED.forModel(Decision.Deny.of(Stage.ROUTER, ReasonCode.STALE, "")))
                .isEqualTo("denied: the call was refused. (router/stale)");
    }

    @Test
    void everyCodeHasASentenceWithoutPlaceholders() {
        for (ReasonCode c : ReasonCode.values()) {
            assertThat(DenialText.sentence(c)).isNotBlank().endsWith(".");
        }
    }
}
