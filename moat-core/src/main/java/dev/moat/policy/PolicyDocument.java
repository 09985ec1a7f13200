package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The policy file's structure (YAML). Field names on disk are snake_case. Unknown keys are errors.
 */
public record PolicyDocument(
        @JsonProperty(value = "version", required = true) Integer version,
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty("home") String home,
        @JsonProperty("agents") List<Agent> agents,
        @JsonProperty("trusted_roots") List<String> trustedRoots,
        @JsonProperty("grants") List<GrantSpec> grants,
        @JsonProperty("router") Router router,
        @JsonProperty("audit") Audit audit,
        @JsonProperty("replay") Replay replay,
        @JsonProperty("sandbox") SandboxSection sandbox,
        @JsonProperty("monitor") MonitorSection monitor,
        @JsonProperty("secrets") List<SecretSpec> secrets,
        @JsonProperty("store") StoreSection store,
        @JsonProperty("agent") AgentSection agent,
        @JsonProperty("tools") java.util.Map<String, ToolSection> tools,
        @JsonProperty("mode") String mode,
        @JsonProperty("denials") Denials denials) {

    /** Mode value: a denial stops the call (the default). */
    public static final String ENFORCE = "enforce";
    /**
     * Mode value: authorization denials (scope, argument rules, monitor) are audited as would-deny
     * and the call runs; see {@link dev.moat.pep.ShadowMode} for what stays enforced.
     */
    public static final String AUDIT_ONLY = "audit-only";

    /** What a model is told of a denial: {@code detailed: true} adds the detail (policy values), for development. */
    public record Denials(@JsonProperty("detailed") Boolean detailed) {}

    /** An agent: a private key file (this process can sign for it) or a public identity file. */
    public record Agent(@JsonProperty(value = "name", required = true) String name,
                        @JsonProperty("key") String key,
                        @JsonProperty("public") String publicKey) {}

    /**
     * A capability issued at start-up by {@code issuer} (a trusted root, or an agent holding one),
     * and issued again {@code renew_before} its expiry (default: a tenth of {@code valid_for}, at
     * least a minute, at most half of it).
     */
    public record GrantSpec(@JsonProperty(value = "issuer", required = true) String issuer,
                            @JsonProperty(value = "subject", required = true) String subject,
                            @JsonProperty(value = "allow", required = true) List<ScopeSpec> allow,
                            @JsonProperty("deny") List<ScopeSpec> deny,
                            @JsonProperty("limits") Limits limits,
                            @JsonProperty(value = "valid_for", required = true) String validFor,
                            @JsonProperty("renew_before") String renewBefore,
                            @JsonProperty("mode") String mode) {

        /** Without {@code renew_before}. */
        public GrantSpec(String issuer, String subject, List<ScopeSpec> allow, List<ScopeSpec> deny, Limits limits, String validFor) {
            this(issuer, subject, allow, deny, limits, validFor, null);
        }

        /** Enforced (no {@code mode}). */
        public GrantSpec(String issuer, String subject, List<ScopeSpec> allow, List<ScopeSpec> deny, Limits limits,
                         String validFor, String renewBefore) {
            this(issuer, subject, allow, deny, limits, validFor, renewBefore, null);
        }
    }

    public record ScopeSpec(@JsonProperty(value = "resource", required = true) String resource,
                            @JsonProperty(value = "actions", required = true) List<String> actions) {}

    public record Limits(@JsonProperty("fuel") Long fuel,
                         @JsonProperty("memory_bytes") Long memoryBytes,
                         @JsonProperty("wall_time") String wallTime,
                         @JsonProperty("hosts") List<String> hosts,
                         @JsonProperty("fs_read") List<String> fsRead,
                         @JsonProperty("fs_write") List<String> fsWrite) {}

    public record Router(@JsonProperty("max_body_bytes") Integer maxBodyBytes,
                         @JsonProperty("max_age") String maxAge,
                         @JsonProperty("max_future_skew") String maxFutureSkew,
                         @JsonProperty("rate_limit") Integer rateLimit,
                         @JsonProperty("rate_window") String rateWindow) {}

    public record Audit(@JsonProperty("path") String path,
                        @JsonProperty("durability") String durability,
                        @JsonProperty("batch_entries") Integer batchEntries,
                        @JsonProperty("batch_delay") String batchDelay,
                        @JsonProperty("checkpoint_every") Long checkpointEvery,
                        @JsonProperty("key") String key,
                        @JsonProperty("arguments") String arguments) {}

    public record Replay(@JsonProperty("path") String path) {}
}
