package dev.moat.secrets;

import dev.moat.identity.AgentId;
import dev.moat.monitor.Agents;
import dev.moat.monitor.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A proxy with three secrets (environment, file-free memory, memory) and recorded events. */
final class SecretFixtures {
    static final String CRM_VALUE = "sk-live-7Hq2 ZpX/9+wR!tY";
    static final String DB_VALUE = "db-pa55:\"quoted\"&amp;";
    static final String SHELL_VALUE = "shell-token-4f1a9c";
    static final SecretName CRM = SecretName.of("crm-api-key");
    static final SecretName DB = SecretName.of("db-password");
    static final SecretName SHELL = SecretName.of("shell-token");

    final AgentId a = Agents.agent(1);
    final AgentId b = Agents.agent(2);
    final MutableClock clock = MutableClock.atEpochPlus(Duration.ZERO);
    final List<SecretResolutionEvent> events = new CopyOnWriteArrayList<>();
    final SecretProxy proxy;

    SecretFixtures(String httpHost) {
        proxy = SecretProxy.builder()
                .clock(clock)
                .listener(events::add)
                .environment(Map.of("CRM_KEY", CRM_VALUE)::get)
                .handleTtl(Duration.ofMinutes(30))
                .build();
        proxy.declare(SecretDeclaration.builder(CRM, SecretSource.env("CRM_KEY"))
                .httpHost(httpHost).insecurePlainHttp().build());
        proxy.declare(SecretDeclaration.builder(DB, SecretSource.memory(DB_VALUE.toCharArray())).build());
        proxy.declare(SecretDeclaration.builder(SHELL, SecretSource.memory(SHELL_VALUE.toCharArray())).processEnv().build());
        proxy.grant(a, CRM);
        proxy.grant(a, DB);
        proxy.grant(a, SHELL);
        proxy.grant(b, SHELL);
    }

    SecretHandle issue(AgentId agent, SecretName name) {
        return proxy.issue(agent, name).orThrow();
    }

    static List<String> allValues() {
        return List.of(CRM_VALUE, DB_VALUE, SHELL_VALUE);
    }
}
