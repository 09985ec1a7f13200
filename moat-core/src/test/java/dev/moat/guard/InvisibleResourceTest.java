package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack: {@code tool://pay/admin} is denied, so ask for {@code tool://pay/admin} followed by an
 * invisible character (U+E0001, a tag: a surrogate pair in Java) that the deny pattern does not
 * match but a tool might strip. Every such name is refused as an invalid resource.
 */
@Timeout(30)
class InvisibleResourceTest {
    private Moat moat;

    @BeforeEach
    void start() {
        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair agent = AgentKeypair.generate("agent");
        TokenChain root = TokenChain.issue(owner, Grant.to(owner.id()).allow("tool://**", "execute").validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(owner).agent(agent).trustRoot("owner")
                .capability("agent", root.delegate(owner, Grant.to(agent.id()).allow("tool://pay/**", "execute")
                        .deny("tool://pay/admin", "execute").validFor(Duration.ofMinutes(30)).build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("audit")).open()).build();
    }

    @AfterEach
    void stop() {
        moat.close();
    }

    private Decision check(String resource) {
        return moat.guard().check(ToolCall.builder("agent", resource, "execute").arguments("{}").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\udb40\udc01", "\ufe0f", "\u3164", "\u034f", "\u2066", "\u061c", "\u00ad", "\u200b", "\udb40\udc20"})
    void anInvisibleSuffixDoesNotDodgeADenial(String invisible) {
        assertThat(check("tool://pay/admin").allowed()).isFalse();
        Decision d = check("tool://pay/admin" + invisible);
        assertThat(d).isInstanceOfSatisfying(Decision.Deny.class, deny -> assertThat(deny.code()).isEqualTo(ReasonCode.INVALID_RESOURCE));
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndVisibleNonAsciiIsNot() {
        // no UTF-8 form: refusing to sign it, rather than signing "tool://pay/admin?" in its place
        assertThat(check("tool://pay/admin\udb40").allowed()).isFalse();
        assertThat(check("tool://pay/x\udc01").allowed()).isFalse();
        assertThat(check("tool://pay/\ud801\udc00").allowed()).isTrue(); // a real letter outside the BMP
        assertThat(check("tool://pay/r\u00e9sum\u00e9").allowed()).isTrue();
    }
}
