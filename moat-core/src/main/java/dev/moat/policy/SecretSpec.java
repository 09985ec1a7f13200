package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.moat.secrets.SecretDeclaration;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretSource;
import java.nio.file.Path;
import java.util.List;

/**
 * One entry of the policy file's {@code secrets:} list: where the value comes from (exactly one
 * of {@code env} or {@code file}), where it may be injected ({@code hosts}, {@code process_env})
 * and which agents may resolve a handle to it. The value itself never appears in the policy.
 * <pre>
 * secrets:
 *   - {name: smtp-password, env: SMTP_PASSWORD, hosts: [smtp.example.com], agents: [assistant]}
 * </pre>
 */
public record SecretSpec(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("env") String env,
        @JsonProperty("file") String file,
        @JsonProperty("hosts") List<String> hosts,
        @JsonProperty("process_env") Boolean processEnv,
        @JsonProperty("agents") List<String> agents) {

    /** The declaration; {@code base} resolves a relative {@code file}. */
    public SecretDeclaration toDeclaration(Path base) {
        if ((env == null) == (file == null)) {
            throw new IllegalArgumentException("secret '" + name + "': give exactly one of env or file");
        }
        SecretSource source = env != null ? SecretSource.env(env) : SecretSource.file(base.resolve(file).normalize());
        SecretDeclaration.Builder b = SecretDeclaration.builder(SecretName.of(name), source);
        if (hosts != null && !hosts.isEmpty()) {
            b.httpHost(hosts.toArray(new String[0]));
        }
        if (Boolean.TRUE.equals(processEnv)) {
            b.processEnv();
        }
        return b.build();
    }

    public List<String> agentsOrEmpty() {
        return agents == null ? List.of() : agents;
    }
}
