package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.audit.AuditEvent;
import dev.moat.json.CanonicalJson;
import dev.moat.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a client sends (well-formed, mutated, truncated, duplicated, batched), every
 * {@code tools/call} the server receives was allowed by the Guard first, for a granted tool, and
 * carries exactly the signed canonical argument bytes.
 */
class GuardedForwardProperties {
    static final String GOOD = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"read\",\"arguments\":{\"b\":[1,true,null],\"a\":\"x\\u00e9\"}}}";
    static final String BAD = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"write\",\"arguments\":{\"path\":\"/etc/passwd\"}}}";

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<String> base = Arbitraries.of(GOOD, BAD,
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"write\",\"name\":\"read\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"method\":\"ping\",\"params\":{\"name\":\"write\"}}",
                "[" + BAD + "]",
                "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"write\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools\\/call\",\"params\":{\"name\":\"wri\\u0074e\",\"arguments\":{}}}");
        Arbitrary<byte[]> mutated = Combinators.combine(base, Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 127), Arbitraries.integers().between(0, 3)).as((s, pos, b, kind) -> {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    int p = pos % bytes.length;
                    return switch (kind) {
                        case 0 -> bytes;
                        case 1 -> { bytes[p] = (byte) (b == '\n' ? ' ' : b); yield bytes; }
                        case 2 -> java.util.Arrays.copyOf(bytes, p);
                        default -> (new String(bytes, 0, p, StandardCharsets.UTF_8) + "," + s.substring(Math.min(p, s.length()))).getBytes(StandardCharsets.UTF_8);
                    };
                });
        return mutated;
    }

    @Example
    void theWellFormedCallIsForwardedAsTheSignedCanonicalBytesAndTheOtherIsNot() throws Exception {
        Path home = Files.createTempDirectory("moat-mcp-prop");
        try (ProxyHarness h = new ProxyHarness(home, g -> g.allow("tool://mcp/s/read", "execute"))) {
            ScriptedUpstream up = new ScriptedUpstream();
            try (RawClient c = new RawClient(h.proxy("s", McpLimits.DEFAULTS), up)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
                c.next();
                c.send(GOOD);
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("content").get(0).path("text").asText())
                        .isEqualTo("{\"a\":\"x\u00e9\",\"b\":[1,true,null]}");
                c.send(BAD);
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("isError").asBoolean()).isTrue();
            }
            assertThat(up.calls()).singleElement().satisfies(call -> assertThat(call.path("id").asInt()).isEqualTo(7));
        }
    }

    @Property(tries = 150)
    void everyForwardedCallWasAllowedAndCarriesTheSignedBytes(@ForAll("frames") byte[] frame) throws Exception {
        Path home = Files.createTempDirectory("moat-mcp-prop");
        try (ProxyHarness h = new ProxyHarness(home, g -> g.allow("tool://mcp/s/read", "execute"))) {
            ScriptedUpstream up = new ScriptedUpstream();
            try (RawClient c = new RawClient(h.proxy("s", McpLimits.DEFAULTS), up)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("tools").size()).isEqualTo(1);
                c.send(frame);
                c.send("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}");
                String line;
                do {
                    line = c.next();
                } while (!line.contains("\"id\":99") && !line.equals(RawClient.EOF));
            }
            List<JsonNode> calls = up.calls();
            long allowed = h.events().stream().filter(e -> e instanceof AuditEvent.Decision d && d.allowed()).count();
            assertThat(calls).hasSizeLessThanOrEqualTo((int) allowed);
            for (JsonNode call : calls) {
                assertThat(call.path("params").path("name").asText()).isEqualTo("read");
            }
            for (byte[] f : up.received) {
                if (new String(f, StandardCharsets.UTF_8).contains("\"method\":\"tools/call\"")) {
                    String args = ScriptedUpstream.arguments(f);
                    byte[] canonical = CanonicalJson.encode(StrictJson.toPlain(JsonRpc.MAPPER.readTree(args)));
                    assertThat(args.getBytes(StandardCharsets.UTF_8)).isEqualTo(canonical);
                }
            }
            assertThat(h.events()).noneMatch(e -> e instanceof AuditEvent.Decision d && d.allowed()
                    && !"tool://mcp/s/read".equals(d.resource()));
        }
    }
}
