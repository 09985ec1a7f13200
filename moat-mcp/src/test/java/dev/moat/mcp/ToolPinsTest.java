package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.MoatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file: first sight, change, new tool, approval, digest coverage, a damaged file. */
class ToolPinsTest {
    @TempDir
    Path home;

    static ObjectNode tool(String json) throws Exception {
        return (ObjectNode) JsonRpc.MAPPER.readTree(json);
    }

    @Test
    void theDigestCoversNameDescriptionAndSchemaButNotKeyOrder() throws Exception {
        String a = ToolDigest.of(tool("{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\",\"required\":[\"x\"]}}"));
        assertThat(ToolDigest.of(tool("{\"inputSchema\":{\"required\":[\"x\"],\"type\":\"object\"},\"description\":\"d\",\"name\":\"t\",\"title\":\"T\"}")))
                .isEqualTo(a);
        assertThat(ToolDigest.of(tool("{\"name\":\"t\",\"description\":\"d.\",\"inputSchema\":{\"type\":\"object\",\"required\":[\"x\"]}}"))).isNotEqualTo(a);
        assertThat(ToolDigest.of(tool("{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\"}}"))).isNotEqualTo(a);
        assertThat(ToolDigest.of(tool("{\"name\":\"u\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\",\"required\":[\"x\"]}}"))).isNotEqualTo(a);
        String half = ToolDigest.of(tool("{\"name\":\"t\",\"inputSchema\":{\"maximum\":0.5}}"));
        assertThat(half).as("decimals are pinned as written").isNotNull()
                .isNotEqualTo(ToolDigest.of(tool("{\"name\":\"t\",\"inputSchema\":{\"maximum\":0.25}}")));
        assertThat(ToolDigest.of(tool("{\"name\":\"t\",\"description\":\"\\ud800\"}"))).as("lone surrogate: unpinnable").isNull();
        assertThat(ToolDigest.of(tool("{\"description\":\"no name\"}"))).isNull();
    }

    @Test
    void firstSightPinsThenAChangeAndANewToolWaitForApproval() {
        ToolPins pins = ToolPins.inHome(home);
        assertThat(pins.knows("s")).isFalse();
        assertThat(pins.observe("s", "read", "d1", true)).isEqualTo(PinStatus.PINNED_NOW);
        assertThat(pins.observe("s", "read", "d1", false)).isEqualTo(PinStatus.APPROVED);
        assertThat(pins.observe("s", "read", "d2", false)).isEqualTo(PinStatus.CHANGED);
        assertThat(pins.observe("s", "read", "d2", true)).as("first sight never overrides a pin").isEqualTo(PinStatus.CHANGED);
        assertThat(pins.observe("s", "new", "n1", false)).isEqualTo(PinStatus.NEW);
        assertThat(pins.isApproved("s", "read", "d2")).isFalse();
        assertThat(pins.pending("s")).extracting(ToolPins.Pending::tool).containsExactlyInAnyOrder("read", "new");
        assertThat(pins.approve("s", Set.of("read"))).singleElement().satisfies(p -> {
            assertThat(p.approved()).isEqualTo("d1");
            assertThat(p.pending()).isEqualTo("d2");
        });
        assertThat(ToolPins.inHome(home).isApproved("s", "read", "d2")).as("persisted").isTrue();
        assertThat(pins.observe("s", "read", "d1", false)).as("the old definition is no longer approved").isEqualTo(PinStatus.CHANGED);
        assertThatThrownBy(() -> pins.approve("other", Set.of())).isInstanceOf(MoatException.class);
    }

    @Test
    void aDamagedLockFileStopsRatherThanTrustingAnything() throws Exception {
        Files.writeString(home.resolve(ToolPins.FILE), "{\"version\":1,\"servers\":{\"s\":");
        ToolPins pins = ToolPins.inHome(home);
        assertThatThrownBy(() -> pins.observe("s", "read", "d", true)).isInstanceOf(MoatException.class)
                .hasMessageContaining("cannot read the MCP tool lock file");
        assertThatThrownBy(() -> pins.knows("s")).isInstanceOf(MoatException.class);
    }
}
