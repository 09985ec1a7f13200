package dev.moat.agent.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallCheck;
import dev.moat.langchain4j.constraint.ArgumentConstraint;
import dev.moat.langchain4j.internal.CanonicalArguments;
import dev.moat.pep.Decision;
import java.util.List;
import java.util.Map;

/**
 * The check after the PEP's allow: the arguments were a JSON object, and each configured rule
 * holds on the exact signed argument bytes (as the LangChain4j decorator checks them).
 */
final class ArgumentCheck implements CallCheck {
    private final ToolRule rule;
    private final String malformed;

    /** {@code malformed} is why the arguments could not be canonicalised, or {@code null}. */
    ArgumentCheck(ToolRule rule, String malformed) {
        this.rule = rule;
        this.malformed = malformed;
    }

    @Override
    public Failure check(Decision.Allow allow) throws Exception {
        if (malformed != null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, malformed);
        }
        if (rule.arguments().isEmpty()) {
            return null;
        }
        ObjectNode arguments = CanonicalArguments.parse(allow.message().body());
        for (Map.Entry<String, List<ArgumentConstraint>> e : rule.arguments().entrySet()) {
            JsonNode value = arguments.get(e.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            for (ArgumentConstraint c : e.getValue()) {
                String violation = c.violation(value);
                if (violation != null) {
                    return Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument '" + e.getKey() + "' " + violation);
                }
            }
        }
        return null;
    }
}
