package dev.moat.agent.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * An application that bundles its own, older Jackson (2.12) and Bouncy Castle (1.70): it uses both,
 * then calls home-grown tool methods guarded by configured method patterns.
 */
public final class OldLibsApp {
    public static void main(String[] args) throws Exception {
        System.out.println("JACKSON " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
        System.out.println("JSON " + new ObjectMapper().writeValueAsString(Map.of("k", 1)));
        var digest = new org.bouncycastle.crypto.digests.SHA256Digest();
        byte[] out = new byte[32];
        digest.update(new byte[] {1, 2, 3}, 0, 3);
        digest.doFinal(out, 0);
        System.out.println("BC " + new org.bouncycastle.jce.provider.BouncyCastleProvider().getInfo() + " sha256 " + (out[0] & 0xff));
        System.out.println("BALANCE " + Payments.balance());
        try {
            System.out.println("TRANSFER ok " + new Payments().transfer("attacker", 5000));
        } catch (RuntimeException e) {
            System.out.println("TRANSFER threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.println("TRANSFERS " + Payments.TRANSFERS.get());
    }
}
