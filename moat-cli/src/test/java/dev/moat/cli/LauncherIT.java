package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built artefacts as a user runs them: {@code ./moat} and {@code java -jar moat.jar} as child
 * processes. Runs in the package phase, after moat.jar is shaded.
 */
@Timeout(300)
class LauncherIT {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path JAR = MODULE.resolve("target/moat.jar");
    private static final Path LAUNCHER = MODULE.getParent().resolve("moat");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    record Proc(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Proc exec(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("MOAT_HOME");
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Proc r = new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** {@code ./moat args...}, never building (the jar was just built by this Maven run). */
    private Proc moat(String... args) throws Exception {
        return moatWith(Map.of(), args);
    }

    private Proc moatWith(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("MOAT_NO_BUILD", "1");
        e.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return exec(e, cmd);
    }

    private Proc jar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return exec(Map.of(), cmd);
    }

    private static Proc ok(Proc p) {
        assertThat(p.exit()).as(p.toString()).isZero();
        return p;
    }

    @Test
    void theOriginalReadmeCommandsRunAsWrittenThroughTheLauncher() throws Exception {
        assertThat(JAR).exists();
        ok(moat("identity", "generate", "--name", "alice"));
        ok(moat("token", "create", "--issuer", "alice", "--subject", "bob", "--resource", "tool://analyze",
                "--actions", "read,execute", "--max-fuel", "1000000", "--expires-in", "1h"));
        ok(moat("token", "attenuate", "--token", "bob.token", "--subject", "carol", "--resource", "tool://analyze", "--actions", "read"));
        Proc verify = ok(moat("token", "verify", "--token", "carol.token"));
        assertThat(verify.out()).contains("valid carol.token", "alice -> bob -> carol");
        assertThat(verify.out()).as("no colour when stdout is not a terminal").doesNotContain("\u001b[");
        ok(moat("demo", "--home", "."));  // leaves ./audit.jsonl for the next command
        Proc audit = ok(moat("audit", "verify", "--path", "audit.jsonl"));
        assertThat(audit.out()).contains("intact audit.jsonl");
        Proc demo = ok(moat("demo"));
        assertThat(demo.out()).contains("demo passed");
    }

    @Test
    void failuresExitWithTheDocumentedCodesAndOneLine() throws Exception {
        ok(jar("identity", "generate", "--name", "alice"));
        ok(jar("token", "create", "--issuer", "alice", "--subject", "bob", "--resource", "tool://analyze", "--actions", "read"));
        Proc broader = jar("token", "attenuate", "--token", "bob.token", "--subject", "carol", "--resource", "tool://analyze",
                "--actions", "read,execute");
        assertThat(broader.exit()).as(broader.toString()).isEqualTo(1);
        assertThat(broader.err().strip()).isEqualTo(
                "moat: attenuation refused by rule 'actions': a granted action is not allowed by the parent on that resource");

        String token = Files.readString(dir.resolve("bob.token"));
        int at = token.indexOf("\"sig\":\"") + 10;
        char c = token.charAt(at);
        Files.writeString(dir.resolve("bob.token"), token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1));
        Proc forged = jar("token", "verify", "--token", "bob.token", "--json");
        assertThat(forged.exit()).isEqualTo(1);
        assertThat(forged.out()).contains("\"reason\":\"bad_signature\"");
        assertThat(forged.err().lines().count()).isEqualTo(1);

        Proc missing = jar("audit", "verify", "--path", "audit.jsonl");
        assertThat(missing.exit()).isEqualTo(3);
        Proc usage = jar("token", "verify");
        assertThat(usage.exit()).isEqualTo(2);

        ok(jar("demo", "--home", "d"));
        Path log = dir.resolve("d/audit.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(3);
        Files.writeString(log, String.join("\n", lines) + "\n");
        Proc broken = jar("audit", "verify", "--path", "d/audit.jsonl");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("index 3", "index_gap");
    }

    @Test
    void theLauncherRunsOnJava25() throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "Java 25 is not installed here");
        Proc version = ok(moatWith(Map.of("JAVA_HOME", jdk25.toString()), "--version"));
        assertThat(version.out()).contains("Java 25");
        Proc demo = ok(moatWith(Map.of("JAVA_HOME", jdk25.toString()), "demo", "--json"));
        assertThat(demo.out()).contains("\"ok\":true");
    }

    @Test
    void theLauncherRefusesToRunWithoutAJarWhenBuildingIsOff() throws Exception {
        Path fakeRoot = dir.resolve("clone");
        Files.createDirectories(fakeRoot);
        Files.copy(LAUNCHER, fakeRoot.resolve("moat"));
        Proc p = exec(Map.of("MOAT_NO_BUILD", "1"), List.of("bash", fakeRoot.resolve("moat").toString(), "--version"));
        assertThat(p.exit()).isEqualTo(3);
        assertThat(p.err()).contains("moat.jar is missing");
    }
}
