package dev.moat.token;

import static dev.moat.spec.Fixture.ALICE;
import static dev.moat.spec.Fixture.BOB;
import static dev.moat.spec.Fixture.MALLORY;
import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.bobToCarol;
import static dev.moat.spec.Fixture.carolToDave;
import static dev.moat.spec.Fixture.minutes;
import static dev.moat.spec.Fixture.rootToAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.token.TokenForge.Claims;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per way {@link TokenVerifier} refuses a chain; each mutates one thing of a good chain. */
@Timeout(30)
class TokenVerifierTest {

    static TokenVerifier.Builder verifier() {
        return TokenVerifier.builder().trustRoot(ROOT.id()).clock(TestKeys.clock());
    }

    static TokenChain chain(Claims... links) {
        return TokenForge.chain(java.util.Arrays.stream(links).map(Claims::signed).toList());
    }

    static ReasonCode code(Checked<?> c) {
        return c.failureOrNull() == null ? null : c.failureOrNull().code();
    }

    @Test
    void chainBuiltWithThePublicApiVerifies() {
        TokenChain root = TokenChain.issue(ROOT, Grant.to(ALICE.id()).allow("tool://*/read", "read").clock(TestKeys.clock()).validFor(Duration.ofHours(1)).build());
        TokenChain child = root.delegate(ALICE, Grant.to(BOB.id()).allow("tool://mail/read", "read").clock(TestKeys.clock()).validFor(Duration.ofMinutes(5)).build());
        VerifiedCapability cap = verifier().build().verify(child.encoded()).orThrow();
        assertThat(cap.subject()).isEqualTo(BOB.id());
        assertThat(cap.rootIssuer()).isEqualTo(ROOT.id());
        assertThat(cap.isActionAllowed("tool://mail/read", "read")).isTrue();
        assertThat(cap.isActionAllowed("tool://calendar/read", "read")).isFalse();
        assertThat(cap.notAfter()).isEqualTo(TestKeys.NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void flippedSignatureIsBadSignature() {
        Map<String, Object> link = rootToAlice().signed();
        byte[] sig = Base64Url.decode((String) link.get("sig"));
        sig[0] ^= 1;
        link.put("sig", Base64Url.encode(sig));
        assertThat(code(verifier().build().verify(TokenForge.wire(List.of(link))))).isEqualTo(ReasonCode.BAD_SIGNATURE);
    }

    @Test
    void garbageIsMalformed() {
        assertThat(code(verifier().build().verify("{\"v\":1}".getBytes(StandardCharsets.UTF_8)))).isEqualTo(ReasonCode.MALFORMED);
        assertThat(code(verifier().build().verify((byte[]) null))).isEqualTo(ReasonCode.MALFORMED);
        assertThat(code(verifier().build().verify((TokenChain) null))).isEqualTo(ReasonCode.MALFORMED);
    }

    @Test
    void envelopeKeyOtherThanIssuerKeyIsIdKeyMismatch() {
        Map<String, Object> link = TokenForge.sign(MALLORY, rootToAlice().payload());
        assertThat(code(verifier().build().verify(TokenForge.wire(List.of(link))))).isEqualTo(ReasonCode.ID_KEY_MISMATCH);
    }

    @Test
    void issuerIdNotDerivedFromKeyIsIdKeyMismatch() {
        // Regression: this used to be reported as malformed.
        Map<String, Object> claims = rootToAlice().map();
        claims.put("issuer", MALLORY.id().value());
        Map<String, Object> link = TokenForge.sign(ROOT, TokenForge.payload(claims));
        assertThat(code(verifier().build().verify(TokenForge.wire(List.of(link))))).isEqualTo(ReasonCode.ID_KEY_MISMATCH);
    }

    @Test
    void unknownRootIsUntrusted() {
        assertThat(code(verifier().trustRoot(TestKeys.agent("other-root").id()).build().verify(chain(rootToAlice()))))
                .isEqualTo(ReasonCode.UNTRUSTED_ROOT);
        assertThat(code(TokenVerifier.builder().clock(TestKeys.clock()).build().verify(chain(rootToAlice()))))
                .isEqualTo(ReasonCode.UNTRUSTED_ROOT);
    }

    @Test
    void childSignedByNonSubjectIsBrokenChain() {
        assertThat(code(verifier().build().verify(chain(rootToAlice(), rootToAlice().child("forged", MALLORY, BOB.id())))))
                .isEqualTo(ReasonCode.BROKEN_CHAIN);
    }

    @Test
    void wrongParentIdOrDepthIsBrokenChain() {
        Claims parent = aliceToBob();
        parent.parent = TokenForge.id("other");
        assertThat(code(verifier().build().verify(chain(rootToAlice(), parent)))).isEqualTo(ReasonCode.BROKEN_CHAIN);
        Claims depth = aliceToBob();
        depth.depth = 5;
        assertThat(code(verifier().build().verify(chain(rootToAlice(), depth)))).isEqualTo(ReasonCode.BROKEN_CHAIN);
    }

    @Test
    void depthCapIsEnforcedPerVerifier() {
        TokenChain four = chain(rootToAlice(), aliceToBob(), bobToCarol(), carolToDave());
        assertThat(code(verifier().maxDepth(3).build().verify(four))).isNull();
        assertThat(code(verifier().maxDepth(2).build().verify(four))).isEqualTo(ReasonCode.DEPTH_EXCEEDED);
    }

    @Test
    void moreLinksThanTheLimitIsOversized() {
        TokenChain four = chain(rootToAlice(), aliceToBob(), bobToCarol(), carolToDave());
        assertThat(code(verifier().limits(new TokenLimits(65536, 3, 1 << 20)).build().verify(four))).isEqualTo(ReasonCode.OVERSIZED);
        assertThat(code(verifier().limits(new TokenLimits(65536, 3, 1 << 20)).build().verify(four.encoded()))).isEqualTo(ReasonCode.OVERSIZED);
        assertThat(code(verifier().limits(new TokenLimits(100, 16, 1 << 20)).build().verify(four.encoded()))).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void expiryIsExclusiveAtEveryLink() {
        TokenChain two = chain(rootToAlice(), aliceToBob());
        Instant exp = minutes(12 * 60);
        assertThat(code(verifier().clock(TestKeys.clockAt(exp.minusMillis(1))).build().verify(two))).isNull();
        assertThat(code(verifier().clock(TestKeys.clockAt(exp)).build().verify(two))).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void futureIssuedAtBeyondSkewIsRefused() {
        Claims future = rootToAlice();
        future.iat = TestKeys.NOW.plusSeconds(10);
        assertThat(code(verifier().build().verify(chain(future)))).isNull();
        assertThat(code(verifier().maxClockSkew(Duration.ofSeconds(9)).build().verify(chain(future)))).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void failingTrustStoreFailsClosed() {
        TokenVerifier v = verifier().trustRoots(id -> {
            throw new IllegalStateException("store down");
        }).build();
        assertThat(code(v.verify(chain(rootToAlice())))).isEqualTo(ReasonCode.INTERNAL);
    }

    @Test
    void recheckNoticesLaterExpiry() {
        VerifiedCapability cap = verifier().build().verify(chain(rootToAlice(), aliceToBob())).orThrow();
        assertThat(verifier().build().recheck(cap)).isNull();
        assertThat(verifier().clock(TestKeys.clockAt(minutes(12 * 60))).build().recheck(cap).code()).isEqualTo(ReasonCode.EXPIRED);
    }
}
