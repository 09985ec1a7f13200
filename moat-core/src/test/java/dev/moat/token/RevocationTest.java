package dev.moat.token;

import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.bobToCarol;
import static dev.moat.spec.Fixture.carolToDave;
import static dev.moat.spec.Fixture.rootToAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import dev.moat.token.TokenForge.Claims;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The revocation hook is consulted at every link, for tokens, issuers and subjects. */
@Timeout(30)
class RevocationTest {
    static final List<Claims> LINKS = List.of(rootToAlice(), aliceToBob(), bobToCarol(), carolToDave());
    static final TokenChain FOUR = TokenForge.chain(LINKS.stream().map(Claims::signed).toList());

    static final class Revoked implements RevocationCheck {
        final Set<AgentId> agents = ConcurrentHashMap.newKeySet();
        final Set<String> tokens = ConcurrentHashMap.newKeySet();

        @Override
        public boolean isAgentRevoked(AgentId agent) {
            return agents.contains(agent);
        }

        @Override
        public boolean isTokenRevoked(String tokenId) {
            return tokens.contains(tokenId);
        }
    }

    static TokenVerifier verifier(Revoked r) {
        return TokenVerifier.builder().trustRoot(ROOT.id()).clock(TestKeys.clock()).revocation(r).build();
    }

    @ParameterizedTest(name = "link {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void revokedTokenAtAnyLinkRevokesTheChain(int link) {
        Revoked r = new Revoked();
        r.tokens.add(LINKS.get(link).id);
        assertThat(verifier(r).verify(FOUR).failureOrNull().code()).isEqualTo(ReasonCode.REVOKED);
    }

    @ParameterizedTest(name = "link {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void revokedSubjectAtAnyLinkRevokesTheChain(int link) {
        Revoked r = new Revoked();
        r.agents.add(LINKS.get(link).subject);
        assertThat(verifier(r).verify(FOUR).failureOrNull().code()).isEqualTo(ReasonCode.REVOKED);
    }

    @ParameterizedTest(name = "link {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void revokedIssuerAtAnyLinkRevokesTheChain(int link) {
        Revoked r = new Revoked();
        r.agents.add(LINKS.get(link).issuer.id());
        assertThat(verifier(r).verify(FOUR).failureOrNull().code()).isEqualTo(ReasonCode.REVOKED);
    }

    @Test
    void nothingRevokedVerifies() {
        assertThat(verifier(new Revoked()).verify(FOUR).failureOrNull()).isNull();
    }

    @Test
    void recheckSeesRevocationAfterVerification() {
        Revoked r = new Revoked();
        TokenVerifier v = verifier(r);
        VerifiedCapability cap = v.verify(FOUR).orThrow();
        assertThat(v.recheck(cap)).isNull();
        r.tokens.add(LINKS.get(2).id);
        assertThat(v.recheck(cap).code()).isEqualTo(ReasonCode.REVOKED);
    }
}
