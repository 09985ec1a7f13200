package dev.moat.guard;

import dev.moat.check.ReasonCode;
import dev.moat.pep.Decision;
import java.util.Objects;

/**
 * The text a model reads when Moat refuses a tool call; the one implementation every adapter uses
 * (LangChain4j results, the Java agent, the MCP proxy, the CrewAI sidecar). By default it names the
 * stage and the stable reason code with a fixed sentence per code, and never the policy's values
 * (granted scopes, allowed IBANs, regular expressions, absolute paths, other agents): a model that
 * is told what is allowed can be steered into probing for it. The audit log and the denial log
 * keep the full detail. {@link #DETAILED} (policy {@code denials: {detailed: true}}, or
 * {@code Moat.Builder.detailedDenials(true)}) adds the detail, for development.
 *
 * @param detailed whether the decision's detail (which may name policy values) is included
 */
public record DenialText(boolean detailed) {
    /** Stage, reason code and a fixed sentence; no policy values (the default). */
    public static final DenialText BRIEF = new DenialText(false);
    /** Also the decision's detail, which may name policy values: for development. */
    public static final DenialText DETAILED = new DenialText(true);

    /** {@code denied: <sentence> (<stage>/<code>)}; detailed: {@code denied: <detail> (<stage>/<code>)}. */
    public String forModel(Decision.Deny deny) {
        Objects.requireNonNull(deny, "deny");
        String why = detailed && !deny.failure().detail().isEmpty() ? deny.failure().detail() : sentence(deny.code());
        return "denied: " + why + " (" + deny.stage().code() + "/" + deny.code().code() + ")";
    }

    /** {@code Moat denied the call to tool '<tool>' (stage <stage>, reason <code>): <sentence>}, detailed with {@code  Detail: <detail>} after it. */
    public String forModel(String tool, Decision.Deny deny) {
        Objects.requireNonNull(deny, "deny");
        String text = refusal(tool, deny.stage().code(), deny.code(), sentence(deny.code()));
        String detail = deny.failure().detail();
        return detailed && !detail.isEmpty() ? text + " Detail: " + detail : text;
    }

    /**
     * An adapter's own refusal before or beside the PEP, in the same form as
     * {@link #forModel(String, Decision.Deny)} with a fixed {@code explanation} (written by the
     * adapter, never holding a policy value) in place of the code's sentence.
     */
    public static String refusal(String tool, String stage, ReasonCode code, String explanation) {
        return "Moat denied the call to tool '" + tool + "' (stage " + stage + ", reason " + code.code() + "): " + explanation;
    }

    /** The fixed sentence for {@code code}: no policy values. */
    public static String sentence(ReasonCode code) {
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
            case SANDBOX_LIMIT -> "the sandbox stopped the tool.";
            default -> "the call was refused.";
        };
    }
}
