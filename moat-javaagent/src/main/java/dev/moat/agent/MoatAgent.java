package dev.moat.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:moat-agent.jar=config=moat.yaml}: the launcher, the only class of the agent the
 * application's class loader ever loads. It appends the bootstrap bridge (stored as the nested jar
 * {@code bootstrap/moat-bridge.jar}) to the boot class path, opens the isolated agent class loader over
 * {@code inst/} and hands over to {@code dev.moat.agent.impl.AgentInstaller} (through its {@code Entry}). Uses the JDK only.
 *
 * <p>At start-up ({@code premain}) any failure, also of Moat's start in the background, prints one
 * line and stops the JVM with exit status 1:
 * never an unguarded application. On late attach ({@code agentmain}) a failure fails the attach.
 */
public final class MoatAgent {
    private static final String INSTALLER = "dev.moat.agent.impl.AgentInstaller$Entry";
    /** Exit status when the agent cannot guard the application at start-up. */
    public static final int EXIT_CANNOT_GUARD = 1;

    private MoatAgent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            start(args, inst, false);
        } catch (Throwable t) {
            stop(t);
        }
    }

    /** One line on standard error, then the JVM stops with {@link #EXIT_CANNOT_GUARD}: never an unguarded application. */
    private static void stop(Throwable t) {
        System.err.println("moat: cannot start, stopping the JVM: " + oneLine(t));
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CANNOT_GUARD);
    }

    public static void agentmain(String args, Instrumentation inst) {
        try {
            start(args, inst, true);
        } catch (Throwable t) {
            String line = "moat: cannot attach: " + oneLine(t);
            System.err.println(line);
            throw new IllegalStateException(line);
        }
    }

    private static synchronized void start(String args, Instrumentation inst, boolean late) throws Exception {
        Path jar = ownJar();
        Path bridge;
        try (JarFile jarFile = new JarFile(jar.toFile(), false)) {
            bridge = bridgeJar(jarFile);
        }
        try (JarFile bridgeFile = new JarFile(bridge.toFile(), false)) {
            inst.appendToBootstrapClassLoaderSearch(bridgeFile);
        }
        deleteBridgeJar(bridge);
        ClassLoader loader = new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
        @SuppressWarnings("unchecked")
        Consumer<Object[]> installer = (Consumer<Object[]>) Class.forName(INSTALLER, true, loader).getConstructor().newInstance();
        Consumer<Throwable> stop = MoatAgent::stop;
        installer.accept(new Object[] {inst, args, late, stop});
    }

    /**
     * Writes the bridge jar (built by the build as {@code bootstrap/moat-bridge.jar}) into an
     * owner-only directory created for this JVM; no class is loaded here. The directory is named by
     * process id and clock, not with {@code Files.createTempDirectory} (whose SecureRandom costs
     * start-up time), and created atomically: an existing one is never reused.
     */
    private static Path bridgeJar(JarFile agentJar) throws IOException {
        JarEntry entry = agentJar.getJarEntry("bootstrap/moat-bridge.jar");
        if (entry == null) {
            throw new IllegalStateException("the agent jar holds no bootstrap bridge");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = null;
        for (int attempt = 0; dir == null; attempt++) {
            Path candidate = tmp.resolve("moat-agent-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
            try {
                dir = Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
        Path out = dir.resolve("moat-bridge.jar");
        try (InputStream is = agentJar.getInputStream(entry);
             OutputStream os = Files.newOutputStream(out, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            is.transferTo(os);
        }
        return out;
    }

    /**
     * The JVM opens an appended jar when it is appended and reads classes through that open file, so
     * on POSIX systems the file is deleted at once: no halt, kill or crash leaves it behind. Where an
     * open file cannot be deleted, it is deleted at exit.
     */
    private static void deleteBridgeJar(Path jar) {
        try {
            Files.delete(jar);
            Files.delete(jar.getParent());
        } catch (IOException e) {
            // deleteOnExit deletes in reverse order of registration: the directory first, then the jar in it
            jar.getParent().toFile().deleteOnExit();
            jar.toFile().deleteOnExit();
        }
    }

    /**
     * The lines of the jar's index (written by the build): {@code versioned <path>} for each
     * multi-release path under {@code inst/}. Read instead of
     * enumerating the jar's many thousand entries at start-up.
     */
    static java.util.List<String> index(JarFile jar) throws IOException {
        JarEntry entry = jar.getJarEntry("META-INF/moat-agent.index");
        if (entry == null) {
            throw new IllegalStateException("the agent jar has no META-INF/moat-agent.index (not built by the Moat build)");
        }
        try (InputStream is = jar.getInputStream(entry)) {
            return new String(is.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static Path ownJar() throws URISyntaxException {
        var source = MoatAgent.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalStateException("cannot locate the agent jar");
        }
        return new File(source.getLocation().toURI()).toPath();
    }

    private static String oneLine(Throwable t) {
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
