package dev.moat.bridge.bench;

import dev.moat.Moat;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The benchmark's in-process baseline (run by python/scripts/bench.sh, not a unit test): one
 * guarded call, {@code guard.call(ToolCall, body)} with a trivial body, on the same policy the
 * sidecar serves; that is sign, PEP, monitor, decision and outcome audit entries. Prints one JSON
 * line: {@code {"median_us":..,"mean_us":..,"p99_us":..,"n":..}}.
 */
public final class InProcessGuard {
    private InProcessGuard() {}

    public static void main(String[] args) {
        Path policy = Path.of(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        try (Moat moat = Moat.fromPolicy(policy)) {
            ToolCall call = ToolCall.builder("researcher", "tool://echo", "execute").arguments("{\"text\":\"hello\"}").build();
            for (int i = 0; i < warmup; i++) {
                run(moat, call);
            }
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                run(moat, call);
                t[i] = System.nanoTime() - s;
            }
            Arrays.sort(t);
            double mean = Arrays.stream(t).average().orElse(0) / 1000.0;
            System.out.printf("{\"median_us\":%.1f,\"mean_us\":%.1f,\"p99_us\":%.1f,\"n\":%d}%n",
                    t[n / 2] / 1000.0, mean, t[(int) (n * 0.99)] / 1000.0, n);
        }
    }

    private static void run(Moat moat, ToolCall call) {
        if (!(moat.guard().call(call, () -> "echo:hello") instanceof GuardedCall.Completed<?>)) {
            throw new IllegalStateException("the benchmark call was not allowed");
        }
    }
}
