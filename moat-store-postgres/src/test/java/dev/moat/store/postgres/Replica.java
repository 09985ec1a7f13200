package dev.moat.store.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link ReplicaMain} child JVM: its stdout lines, collected; commands written to its stdin. */
public final class Replica implements AutoCloseable {
    public final String id;
    private final Process process;
    private final Writer stdin;
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path stderr;

    public Replica(PgServer.Db db, String id, int threads, int calls, Path envelopes, Path dir) throws IOException {
        this.id = id;
        this.stderr = dir.resolve(id + "-" + System.nanoTime() + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                ReplicaMain.class.getName(), db.url(), db.user(), id, Integer.toString(threads), Integer.toString(calls), envelopes.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("PGPASSWORD", db.password());
        process = pb.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the child died; what it printed is kept
            }
        }, "replica-" + id + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    public void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** Waits until some line matches; fails with the child's stderr if it does not come in time. */
    public String await(Predicate<String> line, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String l : lines) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(line)) {
                Thread.sleep(100); // let the reader drain
                if (lines.stream().noneMatch(line)) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("replica " + id + " did not print the expected line; stderr:\n" + java.nio.file.Files.readString(stderr)
                + "\nlast lines: " + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** SIGKILL: no shutdown hook, no final checkpoint, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public void quit() throws Exception {
        send("quit");
        await("closed"::equals, 60);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
