package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.tool.rule.ArgumentRule;
import dev.moat.tool.rule.PathRules;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rules naming arguments the tool's schema does not have are found (typos fail loudly). */
@Timeout(30)
class SchemaCheckTest {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties", Map.of(
            "recipient", Map.of("type", "string"),
            "type", Map.of("type", "string"),
            "attachments", Map.of("type", "array", "items", Map.of("type", "object", "properties", Map.of(
                    "file_id", Map.of("type", "string")))),
            "meta", Map.of("type", "object")));

    @Test
    void typosAtEveryDepthAndInConditionsAreReported() {
        ToolPolicy p = ToolPolicy.forTool("mail")
                .constrain("recipent", ArgumentRule.oneOf("a"))
                .constrain("recipient", ArgumentRule.oneOf("a"))
                .constrain("attachments[*].fileid", ArgumentRule.oneOf("f"))
                .constrain("attachments[*].file_id", ArgumentRule.oneOf("f"))
                .constrain("recipient[*]", ArgumentRule.oneOf("a"))
                .constrain("meta.anything", ArgumentRule.oneOf("a")) // the schema does not describe meta's members
                .argument(PathRules.on("recipient").when("kind", "external").oneOf(java.util.List.of("a")).build())
                .build();
        assertThat(p.unknownArguments(SCHEMA)).containsExactly("recipent", "attachments[*].fileid", "recipient[*]", "kind");
    }

    @Test
    void additionalPropertiesAllowAnyName() {
        ToolPolicy p = ToolPolicy.forTool("t").constrain("x", ArgumentRule.maxLength(3)).build();
        assertThat(p.unknownArguments(Map.of("type", "object", "properties", Map.of(), "additionalProperties", true))).isEmpty();
        assertThat(p.unknownArguments(Map.of("type", "object", "properties", Map.of()))).containsExactly("x");
    }
}
