package dev.moat.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.audit.AuditEntry;
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
 * A Moat with a home: the home's trust store is trusted besides the builder's roots, the revocation
 * list is enforced as soon as it is re-read ({@link LiveRevocations#refresh()} is called directly
 * here instead of waiting for the poller), and an unreadable list denies every call until fixed.
 */
@Timeout(60)
class LiveRevocationsTest {
    @TempDir
    Path home;

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair homeRoot = AgentKeypair.generate("ops");
    private final AgentKeypair agent = AgentKeypair.generate("assistant");
    private InMemoryAuditStore store;

    private Moat moat(AgentKeypair issuer) {
        TokenChain chain = TokenChain.issue(issuer, Grant.to(agent.id()).allow("tool://echo", "execute")
                .validFor(Duration.ofHours(1)).build());
        store = new InMemoryAuditStore();
        return Moat.builder().agent(root).agent(agent).trustRoot("root").capability("assistant", chain).home(home)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open()).build();
    }

    private static Decision call(Moat moat) {
        return moat.guard().check(ToolCall.builder("assistant", "tool://echo", "execute").arguments("{}").build());
    }

    private List<AuditEvent.Revocation> revocationEvents() {
        return store.entries().stream().map(AuditEntry::event).filter(e -> e instanceof AuditEvent.Revocation)
                .map(e -> (AuditEvent.Revocation) e).toList();
    }

    private static void assertRevoked(Decision d) {
        assertThat(d).isInstanceOfSatisfying(Decision.Deny.class, x -> assertThat(x.code()).isEqualTo(ReasonCode.REVOKED));
    }

    @Test
    void anApiRevocationIsWrittenAtomicallyAppliedAtOnceAndAudited() throws Exception {
        try (Moat moat = moat(root)) {
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
            LiveRevocations live = moat.revocations().orElseThrow();
            assertThat(live.revokeAgent(agent.id())).isTrue();
            assertRevoked(call(moat));
            assertThat(live.revokeAgent(agent.id())).isFalse();
        }
        assertThat(RevocationFile.in(home).read().isAgentRevoked(agent.id())).isTrue();
        assertThat(Files.list(home).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("revoked.json", "revoked.json.lock");
        assertThat(revocationEvents()).extracting(AuditEvent.Revocation::change)
                .containsExactly(AuditEvent.Revocation.Change.LOADED, AuditEvent.Revocation.Change.REVOKED);
        assertThat(revocationEvents().get(1).agent()).isEqualTo(agent.id().value());
    }

    @Test
    void aTokenRevokedInTheFileIsEnforcedOnTheNextRefresh() {
        try (Moat moat = moat(root)) {
            String tokenId = leafId(moat);
            RevocationFile.in(home).revokeToken(tokenId); // as the CLI does, behind the app's back
            moat.revocations().orElseThrow().refresh();
            assertRevoked(call(moat));
            assertThat(revocationEvents()).anySatisfy(r -> assertThat(r.tokenId()).isEqualTo(tokenId));
        }
    }

    private String leafId(Moat moat) {
        Decision d = call(moat);
        return ((Decision.Allow) d).message().envelope().chain().leafClaims().orThrow().id();
    }

    @Test
    void aCorruptListDeniesEveryCallIsAuditedAndRecovers() throws Exception {
        try (Moat moat = moat(root)) {
            LiveRevocations live = moat.revocations().orElseThrow();
            Files.writeString(home.resolve("revoked.json"), "{\"v\":1,\"agents\":[", StandardCharsets.UTF_8);
            live.refresh();
            assertThat(live.failure()).isNotNull();
            assertRevoked(call(moat));
            live.refresh(); // still broken: audited once, still denying
            assertRevoked(call(moat));
            Files.writeString(home.resolve("revoked.json"), "{\"agents\":[],\"tokens\":[],\"v\":1}", StandardCharsets.UTF_8);
            live.refresh();
            assertThat(live.failure()).isNull();
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
        }
        assertThat(revocationEvents()).extracting(AuditEvent.Revocation::change).containsExactly(
                AuditEvent.Revocation.Change.LOADED, AuditEvent.Revocation.Change.UNREADABLE, AuditEvent.Revocation.Change.RECOVERED);
    }

    @Test
    void aListWithUnknownFieldsOrBadIdsIsRefused() {
        assertThatThrownBy(() -> RevocationFile.parse("{\"agents\":[],\"tokens\":[],\"v\":1,\"x\":1}".getBytes(StandardCharsets.UTF_8), "t"))
                .isInstanceOf(HomeException.class);
        assertThatThrownBy(() -> RevocationFile.parse("{\"agents\":[\"bob\"],\"tokens\":[],\"v\":1}".getBytes(StandardCharsets.UTF_8), "t"))
                .isInstanceOf(HomeException.class);
        assertThatThrownBy(() -> RevocationFile.parse("{\"agents\":[],\"tokens\":[1],\"v\":1}".getBytes(StandardCharsets.UTF_8), "t"))
                .isInstanceOf(HomeException.class);
        // The CLI's older pretty-printed form still reads.
        assertThat(RevocationFile.parse("{\n  \"v\" : 1,\n  \"agents\" : [ ],\n  \"tokens\" : [ \"t1\" ]\n}".getBytes(StandardCharsets.UTF_8), "t")
                .isTokenRevoked("t1")).isTrue();
    }

    @Test
    void rootsInTheHomeTrustStoreAreTrustedBesidesTheBuildersOwn() {
        try (Moat moat = moat(homeRoot)) {
            assertThat(call(moat)).isInstanceOfSatisfying(Decision.Deny.class,
                    d -> assertThat(d.code()).isEqualTo(ReasonCode.UNTRUSTED_ROOT));
        }
        assertThat(HomeTrustStore.in(home).trust(homeRoot.identity())).isTrue();
        assertThat(HomeTrustStore.in(home).trust(homeRoot.identity())).isFalse();
        try (Moat moat = moat(homeRoot)) {
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
        }
        assertThat(HomeTrustStore.in(home).read()).containsEntry(homeRoot.id(), "ops");
    }

    @Test
    void anUnreadableTrustStoreRefusesToStart() throws Exception {
        Files.writeString(home.resolve("trusted_roots.json"), "{\"roots\":[{\"id\":\"nope\",\"name\":\"x\"}],\"v\":1}");
        assertThatThrownBy(() -> moat(root)).isInstanceOf(HomeException.class).hasMessageContaining("invalid root");
    }
}
