package dev.moat.mcp;

import dev.moat.check.ReasonCode;
import dev.moat.pep.Decision;

/**
 * The text a model reads when Moat refuses a tool call: the tool, the stage and the stable reason
 * code, with a fixed explanation per code. Policy values (granted scopes, limits, other agents)
 * never appear in it.
 */
final class Denials {
    private Denials() {}

    static String text(String tool, Decision.Deny deny) {
        return text(tool, deny.stage().code(), deny.code(), hint(deny.code()));
    }

    static String text(String tool, String stage, ReasonCode code, String hint) {
        return "Moat denied the call to tool '" + tool + "' (stage " + stage + ", reason " + code.code() + "): " + hint;
    }

    private static String hint(ReasonCode code) {
        return switch (code) {
            case NOT_GRANTED -> "this agent's capability does not grant this tool.";
            case EXPLICITLY_DENIED -> "this agent's capability explicitly denies this tool.";
            case INVALID_RESOURCE -> "the tool name does not form a valid resource.";
            case EXPIRED -> "this agent's capability has expired.";
            case REVOKED -> "this agent's capability has been revoked.";
            case RATE_LIMITED -> "too many calls; try again later.";
            case MONITOR_BLOCKED -> "the runtime monitor blocked this call.";
            case ARGUMENT_REJECTED -> "the arguments are not allowed.";
            case NOT_APPROVED -> "the tool is not approved.";
            case OVERSIZED -> "the arguments are too large.";
            case MALFORMED -> "the call is malformed.";
            default -> "the call was refused.";
        };
    }
}
