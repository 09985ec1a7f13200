package dev.moat.cli;

import dev.moat.identity.AgentIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/** How an identity is shown: public facts only, never key material beyond the public key. */
final class IdentityView {
    private IdentityView() {}

    static Map<String, Object> json(Home home, AgentIdentity id, TrustStore trust, RevocationList revoked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", id.name());
        m.put("id", id.id().value());
        m.put("publicKey", id.publicKey().toBase64Url());
        m.put("privateKey", home.hasPrivateKey(id.name()) ? "present" : "absent");
        m.put("trustedRoot", trust.isTrusted(id.id()));
        m.put("revoked", revoked.isAgentRevoked(id.id()));
        return m;
    }
}
