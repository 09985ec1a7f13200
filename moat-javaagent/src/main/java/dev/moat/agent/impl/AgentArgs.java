package dev.moat.agent.impl;

import java.nio.file.Path;

/** The agent argument ({@code config=PATH}) or, without one, the {@code MOAT_CONFIG} environment variable. */
final class AgentArgs {
    private AgentArgs() {}

    static Path configPath(String args, String env) {
        String config = null;
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                if (!key.equals("config") || eq < 0 || part.substring(eq + 1).isBlank()) {
                    throw new IllegalArgumentException("unknown agent argument '" + part + "' (use config=PATH)");
                }
                config = part.substring(eq + 1).trim();
            }
        }
        if (config == null && env != null && !env.isBlank()) {
            config = env.trim();
        }
        if (config == null) {
            throw new IllegalArgumentException("no policy given: use -javaagent:moat-agent.jar=config=PATH or set MOAT_CONFIG");
        }
        return Path.of(config);
    }
}
