package dev.moat.agent.apps;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LangChain4j application that knows nothing of Moat: an AI service with annotated tools and a
 * lambda tool executor, driven by a scripted model, then direct calls of the tool methods (plain,
 * reflection, MethodHandle). Prints one line per observation for the child-JVM tests.
 */
public final class ToolApp {
    static final AtomicInteger ECHO_RUNS = new AtomicInteger();
    static final AtomicInteger WIRE_RUNS = new AtomicInteger();
    static final AtomicInteger LOOKUP_RUNS = new AtomicInteger();
    static final AtomicInteger DELETE_RUNS = new AtomicInteger();

    public interface Assistant {
        String chat(String message);
    }

    public static final class Tools {
        @Tool(name = "echo", value = "Echoes the text")
        public String echo(String text) {
            ECHO_RUNS.incrementAndGet();
            return "echo:" + text;
        }

        @Tool(name = "wire_money", value = "Wires money")
        public String wireMoney(String to, long amount) {
            WIRE_RUNS.incrementAndGet();
            return "sent " + amount + " to " + to;
        }
    }

    public static void main(String[] args) throws Throwable {
        ToolSpecification lookup = ToolSpecification.builder().name("lookup").description("looks up").build();
        ToolSpecification delete = ToolSpecification.builder().name("delete_all").description("deletes").build();
        ToolExecutor lookupExec = (request, memoryId) -> "found " + LOOKUP_RUNS.incrementAndGet();
        ToolExecutor deleteExec = (request, memoryId) -> "deleted " + DELETE_RUNS.incrementAndGet();
        ScriptedModel model = new ScriptedModel(List.of(
                ScriptedModel.call("1", "echo", "{\"text\":\"hi\"}"),
                ScriptedModel.call("2", "wire_money", "{\"to\":\"DE00 1234\",\"amount\":5000}"),
                ScriptedModel.call("3", "lookup", "{}"),
                ScriptedModel.call("4", "delete_all", "{}")));
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .tools(new Tools())
                .tools(Map.of(lookup, lookupExec, delete, deleteExec))
                .build();
        for (String line : assistant.chat("do the things").split("\n")) {
            System.out.println("MODEL-SAW " + line);
        }

        Tools tools = new Tools();
        report("plain", () -> tools.wireMoney("x", 1));
        report("reflection", () -> {
            try {
                return (String) Tools.class.getMethod("wireMoney", String.class, long.class).invoke(tools, "x", 2L);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        MethodHandle handle = MethodHandles.publicLookup().findVirtual(Tools.class, "wireMoney",
                MethodType.methodType(String.class, String.class, long.class));
        report("methodhandle", () -> (String) handle.invokeExact(tools, "x", 3L));
        report("plain-echo", () -> tools.echo("direct"));

        System.out.println("RUNS echo=" + ECHO_RUNS.get() + " wire_money=" + WIRE_RUNS.get()
                + " lookup=" + LOOKUP_RUNS.get() + " delete_all=" + DELETE_RUNS.get());
    }

    interface Body {
        String run() throws Throwable;
    }

    private static void report(String path, Body body) {
        try {
            System.out.println("DIRECT " + path + " ok " + body.run());
        } catch (Throwable t) {
            System.out.println("DIRECT " + path + " threw " + t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }
}
