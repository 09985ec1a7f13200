package dev.moat.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The isolated agent class loader: loads the guard and its relocated dependencies from the agent
 * jar's {@code inst/} entries (classes stored as {@code .classdata}, multi-release versions under
 * {@code inst/META-INF/versions/N/} honoured). Its parent is the platform class loader, so it sees
 * the JDK and the boot-class-path bridge, never the application's classes or libraries.
 */
final class AgentClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";
    private final JarFile jar;
    private final URL jarUrl;
    private final ProtectionDomain domain;
    private final int feature = Runtime.version().feature();
    /** Paths (below inst/) that have a multi-release version, so plain entries need one lookup. */
    private final java.util.Set<String> versioned = new java.util.HashSet<>();

    AgentClassLoader(Path jarPath, ClassLoader parent) throws IOException {
        super("moat-agent", parent);
        this.jar = new JarFile(jarPath.toFile(), false);
        this.jarUrl = jarPath.toUri().toURL();
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (java.security.cert.Certificate[]) null), null, this, null);
        for (String line : MoatAgent.index(jar)) {
            if (line.startsWith("versioned ")) {
                versioned.add(line.substring("versioned ".length()));
            }
        }
    }

    /**
     * The agent's own classes (everything under {@code dev.moat.}, its relocated libraries included)
     * are looked up here first: the boot and platform loaders never hold them, and asking them for
     * each of the agent's classes costs start-up time. The bridge ({@code dev.moat.agent.bootstrap.})
     * and everything else go to the parent first, as usual.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.moat.") || name.startsWith("dev.moat.agent.bootstrap.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = entry(name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream is = jar.getInputStream(entry)) {
            bytes = is.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // defined concurrently
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        JarEntry entry = entry(stored(name));
        return entry == null ? null : url(entry);
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL u = findResource(name);
        List<URL> list = new ArrayList<>(1);
        if (u != null) {
            list.add(u);
        }
        return Collections.enumeration(list);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = entry(stored(name));
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return jar.getInputStream(entry);
        } catch (IOException e) {
            return null;
        }
    }

    private static String stored(String name) {
        return name.endsWith(".class") ? name.substring(0, name.length() - ".class".length()) + ".classdata" : name;
    }

    /** The entry for {@code path} under inst/, preferring the newest multi-release version that applies. */
    private JarEntry entry(String path) {
        for (int v = versioned.contains(path) ? feature : 8; v >= 9; v--) {
            JarEntry e = jar.getJarEntry(PREFIX + "META-INF/versions/" + v + "/" + path);
            if (e != null) {
                return e;
            }
        }
        return jar.getJarEntry(PREFIX + path);
    }

    private URL url(JarEntry entry) {
        try {
            return new URL("jar:" + jarUrl + "!/" + entry.getName());
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
