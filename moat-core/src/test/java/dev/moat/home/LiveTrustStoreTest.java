package dev.moat.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home's trust store, live: a root removed from {@code trusted_roots.json} behind the app's
 * back is refused on the next refresh (its chains fail even from the verified-chain cache), a root
 * added is trusted, a corrupt file denies every call (also chains of the builder's own roots)
 * until it parses again, and each change is audited. {@link LiveTrustStore#refresh()} is called
 * directly instead of waiting for the poller.
 */
@Timeout(60)
class LiveTrustStoreTest {
    @TempDir
    Path home;

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair ops = AgentKeypair.generate("ops");
    private final AgentKeypair agent = AgentKeypair.generate("assistant");
    private final InMemoryAuditStore store = new InMemoryAuditStore();

    private Moat moat(AgentKeypair issuer) {
        TokenChain chain = TokenChain.issue(issuer, Grant.to(agent.id()).allow("tool://echo", "execute")
                .validFor(Duration.ofHours(1)).build());
        return Moat.builder().agent(root).agent(agent).trustRoot("root").capability("assistant", chain).home(home)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open()).build();
    }

    private static Decision call(Moat moat) {
        return moat.guard().check(ToolCall.builder("assistant", "tool://echo", "execute").arguments("{}").build());
    }

    private List<AuditEvent.Trust> trustEvents() {
        return store.entries().stream().map(AuditEntry::event).filter(e -> e instanceof AuditEvent.Trust)
                .map(e -> (AuditEvent.Trust) e).toList();
    }

    private static void assertUntrusted(Decision d) {
        assertThat(d).isInstanceOfSatisfying(Decision.Deny.class, x -> assertThat(x.code()).isEqualTo(ReasonCode.UNTRUSTED_ROOT));
    }

    @Test
    void aRootRemovedFromTheFileIsRefusedOnTheNextRefreshAndRestoredWhenAddedBack() {
        HomeTrustStore.in(home).trust(ops.identity());
        try (Moat moat = moat(ops)) {
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class); // cached chain
            LiveTrustStore live = moat.trustStore().orElseThrow();
            HomeTrustStore.in(home).distrust(ops.id()); // as moat identity trust --remove does
            live.refresh();
            assertUntrusted(call(moat));
            assertThat(moat.registry().isTrustedRoot(ops.id())).isFalse();
            HomeTrustStore.in(home).trust(ops.identity());
            live.refresh();
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
        }
        assertThat(trustEvents()).extracting(AuditEvent.Trust::change).containsExactly(
                AuditEvent.Trust.Change.LOADED, AuditEvent.Trust.Change.DISTRUSTED, AuditEvent.Trust.Change.TRUSTED);
        assertThat(trustEvents().get(1).root()).isEqualTo(ops.id().value());
        assertThat(trustEvents().get(1).name()).isEqualTo("ops");
        assertThat(trustEvents().get(1).source()).endsWith("trusted_roots.json");
    }

    @Test
    void aCorruptFileDeniesEveryCallIsAuditedOnceAndRecovers() throws Exception {
        HomeTrustStore.in(home).trust(ops.identity());
        try (Moat moat = moat(root)) { // a chain of the builder's own root
            LiveTrustStore live = moat.trustStore().orElseThrow();
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
            Files.writeString(home.resolve("trusted_roots.json"), "{\"roots\":[", StandardCharsets.UTF_8);
            live.refresh();
            assertThat(live.failure()).contains("trusted_roots.json");
            assertThat(call(moat)).isInstanceOf(Decision.Deny.class);
            assertThat(moat.registry().trustedRoots()).isEmpty();
            live.refresh();
            assertThat(call(moat)).isInstanceOf(Decision.Deny.class);
            Files.writeString(home.resolve("trusted_roots.json"), "{\"roots\":[],\"v\":1}", StandardCharsets.UTF_8);
            live.refresh();
            assertThat(live.failure()).isNull();
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
            assertThat(moat.registry().isTrustedRoot(ops.id())).isFalse();
        }
        assertThat(trustEvents()).extracting(AuditEvent.Trust::change).containsExactly(
                AuditEvent.Trust.Change.LOADED, AuditEvent.Trust.Change.UNREADABLE, AuditEvent.Trust.Change.RECOVERED,
                AuditEvent.Trust.Change.DISTRUSTED);
    }

    @Test
    void anUnreadableTrustStoreRefusesToStart() throws Exception {
        Files.writeString(home.resolve("trusted_roots.json"), "{\"roots\":[],\"v\":2}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> moat(root)).isInstanceOf(HomeException.class).hasMessageContaining("version 1 trust store");
    }
}
