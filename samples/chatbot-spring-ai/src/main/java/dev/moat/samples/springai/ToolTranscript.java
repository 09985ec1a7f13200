package dev.moat.samples.springai;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.DenialText;
import dev.moat.guard.GuardEvent;
import dev.moat.pep.Decision;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints each guarded tool call's decision and keeps the denials, as a core {@link DecisionObserver}
 * bean (the starter gives every such bean to the {@code Moat} it builds). It only watches; Moat decides.
 */
public final class ToolTranscript implements DecisionObserver {
    /** One denied call: the tool, the stable reason code and the text the model read. */
    public record Denial(String tool, String reasonCode, String text) {}

    private static final String TOOL = "tool://";

    private final PrintStream out;
    private final List<Denial> denials = new ArrayList<>();

    public ToolTranscript(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void onDecision(GuardEvent event) {
        String tool = event.resource() != null && event.resource().startsWith(TOOL)
                ? event.resource().substring(TOOL.length()) : String.valueOf(event.resource());
        if (event.outcome() == GuardEvent.Outcome.ALLOWED) {
            out.println("  allowed    " + tool);
            return;
        }
        String text = DenialText.BRIEF.forModel(Decision.Deny.of(event.stage(), event.reasonCode(), event.detail()));
        if (event.outcome() == GuardEvent.Outcome.DENIED) {
            denials.add(new Denial(tool, event.reasonCode().code(), text));
            out.println("  BLOCKED    " + tool + ": " + text);
        } else {
            out.println("  would deny " + tool + ": " + text);
        }
    }

    public synchronized List<Denial> denials() {
        return List.copyOf(denials);
    }
}
