package dev.moat.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import java.nio.file.Path;

/** The conformance suite against {@link Guard#call} itself, with the path rule as a {@link CallCheck}. */
class PlainGuardConformanceTest extends GuardedToolCallConformance {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        return (tool, arguments) -> {
            byte[] body = JSON.writeValueAsBytes(arguments);
            CallCheck check = tool.equals(ConformanceFixture.READ_FILE) ? allow -> pathUnder(fx.workspace(), allow.message().body()) : CallCheck.NONE;
            GuardedCall<String> r = fx.guard().call(ToolCall.builder(ConformanceFixture.AGENT, "tool://" + tool, "execute").arguments(body).check(check).build(), () -> {
                JsonNode a = JSON.readTree(body);
                return switch (tool) {
                    case ConformanceFixture.ECHO -> fx.echo(a.get("text").asText());
                    case ConformanceFixture.READ_FILE -> fx.readFile(a.get("path").asText());
                    default -> fx.wireMoney(a.get("to").asText(), a.get("amount").asLong());
                };
            });
            if (r instanceof GuardedCall.Completed<String> c) {
                return new ToolCallResult.Ran(c.value());
            }
            if (r instanceof GuardedCall.Denied<String> d) {
                return new ToolCallResult.Denied(d.decision().code(), d.decision().explain());
            }
            return new ToolCallResult.Failed(((GuardedCall.Failed<String>) r).error().toString());
        };
    }

    private static Failure pathUnder(Path dir, byte[] body) throws Exception {
        String p = JSON.readTree(body).get("path").asText();
        Path resolved = dir.resolve(p).normalize();
        return resolved.startsWith(dir) ? null : Failure.of(ReasonCode.ARGUMENT_REJECTED, "path is outside " + dir);
    }
}
