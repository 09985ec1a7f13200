package dev.moat.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts real child JVMs (Java 17 and Java 25) running the test applications, with or without the agent. */
final class ChildJvm {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ChildJvm() {}

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("moat.agent.jar", "target/moat-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the tests run after package (mvn verify)");
        }
        return jar;
    }

    /** The JDK running the tests. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A Java 25 JDK under /usr/lib/jvm (scanned, never a fixed path). */
    static Path java25() throws IOException {
        Path root = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(root)) {
            try (Stream<Path> homes = Files.list(root)) {
                for (Path home : homes.sorted().toList()) {
                    Path release = home.resolve("release");
                    Path java = home.resolve("bin/java");
                    if (Files.isRegularFile(release) && Files.isExecutable(java)
                            && Files.readString(release).contains("JAVA_VERSION=\"25")) {
                        return java;
                    }
                }
            }
        }
        throw new IllegalStateException("no Java 25 JDK found under /usr/lib/jvm");
    }

    /** Test classes (the applications) plus LangChain4j and its dependencies: no Moat, no Byte Buddy. */
    static String appClasspath() throws IOException {
        String deps = Files.readString(Path.of(System.getProperty("moat.app.classpath.file"))).trim();
        return System.getProperty("moat.app.classes") + java.io.File.pathSeparator + deps;
    }

    static Result run(Path java, List<String> jvmArgs, String classpath, String main, List<String> args,
                      Map<String, String> env) throws Exception {
        Process p = start(java, jvmArgs, classpath, main, args, env);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish in 60 s: " + err.getNow(""));
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static Process start(Path java, List<String> jvmArgs, String classpath, String main, List<String> args,
                         Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(main);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("MOAT_CONFIG");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        return pb.start();
    }

    static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
