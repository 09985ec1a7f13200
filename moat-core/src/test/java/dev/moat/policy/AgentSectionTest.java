package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The policy's {@code agent:} section (read by the Java agent): typed, validated, unknown keys refused. */
@Timeout(30)
class AgentSectionTest {
    private static final Path FILE = Path.of("moat.yaml");
    private static final String BASE = """
            version: 1
            id: legacy
            agents:
              - {name: owner, key: keys/owner.key}
              - {name: assistant, key: keys/assistant.key}
              - {name: outsider, public: keys/outsider.pub}
            trusted_roots: [owner]
            """;

    private static MoatPolicy parse(String agent) {
        return MoatPolicy.parse(FILE, (BASE + agent).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullSectionIsRead() {
        MoatPolicy p = parse("""
                agent:
                  identity: assistant
                  mode: audit-only
                  services: [{match: "com.example.billing.**", identity: owner}]
                  methods:
                    - {class: com.example.Payments, method: transfer, resource: "tool://payments/transfer", action: execute}
                """);

        AgentSection a = p.document().agent();
        assertThat(a.identity()).isEqualTo("assistant");
        assertThat(a.enforcing()).isFalse();
        assertThat(a.servicesOrEmpty()).singleElement().satisfies(s -> assertThat(s.identity()).isEqualTo("owner"));
        assertThat(a.methodsOrEmpty().get(0).className()).isEqualTo("com.example.Payments");
    }

    @Test
    void enforceIsTheDefaultMode() {
        assertThat(parse("agent: {identity: assistant}\n").document().agent().enforcing()).isTrue();
    }

    @Test
    void unknownKeysAreRefusedWithTheirPosition() {
        assertThatThrownBy(() -> parse("agent: {identity: assistant, mdoe: enforce}\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("moat.yaml:").hasMessageContaining("mdoe");
    }

    @Test
    void anIdentityWithoutAPrivateKeyIsRefused() {
        assertThatThrownBy(() -> parse("agent: {identity: outsider}\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("agent: identity: 'outsider' is not an agent whose key is given");
        assertThatThrownBy(() -> parse("agent:\n  identity: assistant\n  services: [{match: \"a.*\", identity: nobody}]\n"))
                .hasMessageContaining("services[0].identity");
    }

    @Test
    void badValuesNameTheirField() {
        assertThatThrownBy(() -> parse("agent: {identity: assistant, mode: lenient}\n")).hasMessageContaining("agent: mode:");
        assertThatThrownBy(() -> parse("agent:\n  identity: assistant\n  methods: [{class: \"a..B\", method: m}]\n"))
                .hasMessageContaining("methods[0].class");
        assertThatThrownBy(() -> parse("agent:\n  identity: assistant\n  methods: [{class: a.B, method: m, resource: \"tool://../x\"}]\n"))
                .hasMessageContaining("methods[0].resource");
    }

    @Test
    void toolRulesMovedToTheTopLevelToolsSection() {
        assertThatThrownBy(() -> parse("agent:\n  identity: assistant\n  tools: [{name: t}]\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("tools");
    }
}
