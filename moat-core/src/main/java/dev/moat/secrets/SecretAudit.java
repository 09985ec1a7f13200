package dev.moat.secrets;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;

/**
 * Audits every secret resolution: the agent, the handle's fingerprint (never the handle or the
 * value), the SHA-256 of the secret's name, granted (with where the value goes) or denied (with why). If the append
 * fails the listener throws, and the proxy denies the resolution.
 */
public final class SecretAudit {
    private SecretAudit() {}

    public static SecretListener listener(AuditLog audit) {
        return event -> audit.append(new AuditEvent.SecretResolution(event.agent().value(),
                fingerprint(event.handle()), event.secretNameHash(), event.denial() == null,
                event.denial() == null ? use(event.use()) : event.denial().code()));
    }

    private static String use(SecretUse use) {
        return use == null ? "granted" : use.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + use.target();
    }

    private static String fingerprint(String handle) {
        return SecretHandle.isWellFormed(handle) ? SecretHandle.parse(handle).fingerprint() : "malformed";
    }
}
