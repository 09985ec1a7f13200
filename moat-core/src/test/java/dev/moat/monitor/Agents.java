package dev.moat.monitor;

import dev.moat.identity.AgentId;

/** Deterministic, well-formed agent ids for tests. */
public final class Agents {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Agents() {}

    public static AgentId agent(int n) {
        StringBuilder sb = new StringBuilder(AgentId.PREFIX);
        int v = n;
        for (int i = 0; i < 32; i++) {
            sb.append(ALPHABET[v & 31]);
            v >>>= 5;
        }
        return new AgentId(sb.toString());
    }
}
