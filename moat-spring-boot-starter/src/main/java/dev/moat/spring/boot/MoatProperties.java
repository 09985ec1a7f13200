package dev.moat.spring.boot;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code moat.*} properties. Only {@code moat.policy} is needed; everything else Moat needs
 * (agents, keys, grants, audit, replay, monitor) is in the policy file.
 */
@ConfigurationProperties(prefix = "moat")
public class MoatProperties {
    /**
     * The policy: {@code classpath:moat.yaml}, {@code file:/etc/app/moat.yaml} or a plain file path.
     * Without it, no Moat is configured (the starter backs off).
     */
    private String policy;

    /**
     * The directory a classpath policy's relative paths (key files, home, audit log, replay state)
     * resolve against. A file policy's relative paths resolve against the file's own directory.
     * Default: the working directory.
     */
    private Path baseDir;

    /**
     * The agent whose capability signs the app's tool calls. Default: the policy's
     * {@code agent.identity}.
     */
    private String agent;

    private final SpringAi springAi = new SpringAi();

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public Path getBaseDir() {
        return baseDir;
    }

    public void setBaseDir(Path baseDir) {
        this.baseDir = baseDir;
    }

    public String getAgent() {
        return agent;
    }

    public void setAgent(String agent) {
        this.agent = agent;
    }

    public SpringAi getSpringAi() {
        return springAi;
    }

    /** {@code moat.spring-ai.*}: how Spring AI tool calls are guarded. */
    public static class SpringAi {
        /**
         * Decorate the application's ToolCallingManager (the one Spring AI auto-configures, or the
         * app's own) so every tool call is guarded. Turning this off leaves tools unguarded unless
         * the app wraps them with MoatToolCallbacks itself.
         */
        private boolean guardToolCalls = true;

        /** The tool-context key that names the end user of a call (per-user capabilities). */
        private String userKey = "moat.user";

        public boolean isGuardToolCalls() {
            return guardToolCalls;
        }

        public void setGuardToolCalls(boolean guardToolCalls) {
            this.guardToolCalls = guardToolCalls;
        }

        public String getUserKey() {
            return userKey;
        }

        public void setUserKey(String userKey) {
            this.userKey = userKey;
        }
    }
}
