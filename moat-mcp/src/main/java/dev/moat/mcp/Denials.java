package dev.moat.mcp;

import dev.moat.check.ReasonCode;
import dev.moat.guard.DenialText;
import dev.moat.pep.Decision;

/**
 * The text a model reads when Moat refuses a tool call, from core's {@link DenialText} (one
 * implementation for every adapter): the tool, the stage and the stable reason code, with a fixed
 * explanation per code; policy values (granted scopes, limits, other agents) appear only when the
 * policy asks for detailed denials ({@code denials: {detailed: true}}).
 */
final class Denials {
    private Denials() {}

    static String text(DenialText text, String tool, Decision.Deny deny) {
        return text.forModel(tool, deny);
    }

    /** The proxy's own refusal, with a fixed explanation. */
    static String text(String tool, String stage, ReasonCode code, String hint) {
        return DenialText.refusal(tool, stage, code, hint);
    }
}
