package dev.moat.agent.apps;

import dev.langchain4j.agent.tool.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Tool methods of shapes that stress the agent's method rewriting (GuardedMethodWriterTest). */
public final class Shapes {
    public static final AtomicInteger BODIES = new AtomicInteger();

    @Tool("wide")
    public double wide(long a, double b, int c, boolean d, char e, byte f, short g, float h) {
        BODIES.incrementAndGet();
        return a + b + c + (d ? 1 : 0) + e + f + g + h;
    }

    @Tool("nothing")
    public void nothing(String s) {
        BODIES.incrementAndGet();
    }

    @Tool("counted")
    public static long countDown(int n) {
        while (n > 0) { // the first instruction is the loop head: a stack map frame at offset 0
            n--;
            BODIES.incrementAndGet();
        }
        return n;
    }

    @Tool("handled")
    public String handled(String path) {
        BODIES.incrementAndGet();
        try {
            if (path.isEmpty()) {
                throw new IOException("empty");
            }
            return "read " + path;
        } catch (IOException e) {
            return "fallback"; // the body's own handler, not the woven one
        }
    }

    @Tool("finally")
    public int withFinally(int x) {
        try {
            if (x > 10) {
                return 10;
            }
            if (x < 0) {
                throw new IllegalArgumentException("negative");
            }
            return x;
        } finally {
            BODIES.incrementAndGet();
        }
    }

    @Tool("switch")
    public String choose(int x) {
        BODIES.incrementAndGet();
        switch (x) {
            case 1: return "one";
            case 2: return "two";
            case 30: return "thirty";
            default: return "many";
        }
    }

    @Tool("fails")
    public boolean fails(String why) {
        BODIES.incrementAndGet();
        throw new UncheckedIOException(new IOException(why));
    }
}
