package dev.moat.samples.springai;

import dev.moat.guard.GuardedCall;
import dev.moat.springai.GuardObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints each guarded tool call's outcome and keeps the denials, through the starter's observer
 * hook (any {@link GuardObserver} bean sees every guarded call). It only watches; Moat decides.
 */
public final class ToolTranscript implements GuardObserver {
    /** One denied call: the tool, the stable reason code and the text the model read. */
    public record Denial(String tool, String reasonCode, String text) {}

    private final PrintStream out;
    private final List<Denial> denials = new ArrayList<>();

    public ToolTranscript(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void observed(String tool, GuardedCall<?> outcome, long nanos) {
        if (outcome instanceof GuardedCall.Denied<?> d) {
            denials.add(new Denial(tool, d.decision().code().code(), d.decision().explain()));
            out.println("  BLOCKED    " + tool + ": " + d.decision().explain());
        } else if (outcome instanceof GuardedCall.Completed<?> c) {
            out.println("  ran        " + tool + " -> " + abbreviate(String.valueOf(c.value()), 100));
        } else {
            out.println("  failed     " + tool);
        }
    }

    public synchronized List<Denial> denials() {
        return List.copyOf(denials);
    }

    private static String abbreviate(String s, int max) {
        String one = s.replace("\\n", " ").replace("\n", " ");
        return one.length() <= max ? one : one.substring(0, max) + "...";
    }
}
