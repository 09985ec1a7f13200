package dev.moat.samples.chatbot;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints each tool call and what the model got back, and keeps the denials. Sits outside the guard. */
final class ToolTranscript {
    record Denial(String tool, String reasonCode, String text) {}

    private final PrintStream out;
    private final List<Denial> denials = new ArrayList<>();

    ToolTranscript(PrintStream out) {
        this.out = out;
    }

    Map<ToolSpecification, ToolExecutor> wrap(Map<ToolSpecification, ToolExecutor> tools) {
        Map<ToolSpecification, ToolExecutor> printed = new LinkedHashMap<>();
        tools.forEach((spec, executor) -> printed.put(spec, new ToolExecutor() {
            @Override
            public String execute(ToolExecutionRequest request, Object memoryId) {
                return executeWithContext(request, InvocationContext.builder().chatMemoryId(memoryId).build()).resultText();
            }

            @Override
            public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
                out.println("  tool call  " + request.name() + " " + abbreviate(request.arguments(), 110));
                ToolExecutionResult r = executor.executeWithContext(request, context);
                Object code = r.attributes().get("moat.reason_code");
                if (code != null) {
                    synchronized (denials) {
                        denials.add(new Denial(request.name(), code.toString(), r.resultText()));
                    }
                    out.println("  BLOCKED    " + r.resultText());
                } else {
                    out.println("  result     " + abbreviate(r.resultText(), 110));
                }
                return r;
            }
        }));
        return printed;
    }

    List<Denial> denials() {
        synchronized (denials) {
            return List.copyOf(denials);
        }
    }

    private static String abbreviate(String s, int max) {
        String one = s == null ? "null" : s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "...";
    }
}
