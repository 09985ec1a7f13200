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
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * {@code -javaagent:moat-agent.jar=config=moat.yaml}: the launcher, the only class of the agent the
 * application's class loader ever loads. It appends the bootstrap bridge (stored as
 * {@code bootstrap/*.classdata}) to the boot class path, opens the isolated agent class loader over
 * {@code inst/} and hands over to {@code dev.moat.agent.impl.AgentInstaller}. Uses the JDK only.
 *
 * <p>At start-up ({@code premain}) any failure prints one line and stops the JVM with exit status 1:
 * never an unguarded application. On late attach ({@code agentmain}) a failure fails the attach.
 */
public final class MoatAgent {
    private static final String INSTALLER = "dev.moat.agent.impl.AgentInstaller";
    /** Exit status when the agent cannot guard the application at start-up. */
    public static final int EXIT_CANNOT_GUARD = 1;

    private MoatAgent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            start(args, inst, false);
        } catch (Throwable t) {
            System.err.println("moat: cannot start, stopping the JVM: " + oneLine(t));
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CANNOT_GUARD);
        }
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
        try (JarFile jarFile = new JarFile(jar.toFile(), false)) {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(bridgeJar(jarFile).toFile()));
        }
        ClassLoader loader = new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
        Class<?> installer = Class.forName(INSTALLER, true, loader);
        try {
            installer.getMethod("start", Instrumentation.class, String.class, boolean.class).invoke(null, inst, args, late);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /** Copies the bridge's class bytes into an owner-only temporary jar (no class is loaded here). */
    private static Path bridgeJar(JarFile agentJar) throws IOException {
        Path dir = Files.createTempDirectory("moat-agent-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path out = dir.resolve("moat-bridge.jar");
        int classes = 0;
        try (OutputStream os = Files.newOutputStream(out); JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = agentJar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith("bootstrap/") || !name.endsWith(".classdata")) {
                    continue;
                }
                String className = name.substring("bootstrap/".length(), name.length() - ".classdata".length()) + ".class";
                jos.putNextEntry(new JarEntry(className));
                try (InputStream is = agentJar.getInputStream(entry)) {
                    is.transferTo(jos);
                }
                jos.closeEntry();
                classes++;
            }
        }
        if (classes == 0) {
            throw new IllegalStateException("the agent jar holds no bootstrap bridge");
        }
        out.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return out;
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
