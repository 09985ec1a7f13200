package dev.moat.cli;

import dev.moat.check.Checked;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;

/** Verifies chains the way this home sees them: its trusted roots, its revocation list, the system clock. */
final class Verification {
    private Verification() {}

    static Checked<VerifiedCapability> verify(Home home, TokenChain chain) {
        TrustStore trust = home.trustStore();
        TokenVerifier verifier = TokenVerifier.builder()
                .trustRoots(trust::isTrusted)
                .revocation(home.revocations())
                .build();
        return verifier.verify(chain);
    }
}
