import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;

/**
 * Lays out moat-agent.jar from the shaded jar (run by the build with Java's source launcher):
 * the launcher (dev/moat/agent/MoatAgent*, AgentClassLoader*) stays a class at the root; the
 * bootstrap bridge (dev/moat/agent/bootstrap/**) becomes the nested jar bootstrap/moat-bridge.jar
 * (copied to a file as it is and appended to the boot class path) and everything else moves to inst/,
 * with ".class" renamed ".classdata", so the application's class loader can load none of them.
 * META-INF/moat-agent.index lists the multi-release paths under inst/, so the launcher never
 * enumerates the jar's many thousand entries at start-up.
 *
 * <p>Also:
 * <ul>
 * <li>Multi-release entries of relocated libraries are left out: the shade plugin relocates their
 *   contents but not their names, so no class loader would ever use them (the base classes serve
 *   every Java version; relocating them instead measured no faster start-up).</li>
 * <li>Bouncy Castle and Byte Buddy classes that no other class of the agent can reach are left out
 *   (the agent uses Bouncy Castle's Ed25519 and the ASM Byte Buddy bundles, nothing else of either;
 *   a class name anywhere in an entry's bytes counts as a reference).</li>
 * <li>The classes of the libraries loaded at start-up are stored, not deflated, so the isolated
 *   loader reads them without inflating; the sandbox's libraries (loaded only when a policy
 *   sandboxes a tool) stay deflated.</li>
 * </ul>
 */
public final class Repackage {
    static final String INDEX = "META-INF/moat-agent.index";
    static final String BRIDGE = "bootstrap/moat-bridge.jar";
    static final String VERSIONS = "META-INF/versions/";
    static final String SHADED = "dev/moat/agent/shaded/";
    static final String BOUNCY_CASTLE = SHADED + "org/bouncycastle/";
    static final String BYTE_BUDDY = SHADED + "net/bytebuddy/";
    /** Libraries of which the jar keeps only the classes the rest of the jar can reach. */
    static final List<String> PRUNED = List.of(BOUNCY_CASTLE, BYTE_BUDDY);

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Map<String, byte[]> entries = new LinkedHashMap<>(); // corrected name -> bytes
        Map<String, Long> times = new HashMap<>();
        Manifest manifest;
        try (JarFile jar = new JarFile(in.toFile(), false)) {
            manifest = jar.getManifest();
            Set<String> names = new HashSet<>(); // entry names and the top two packages of each, as a/b/
            jar.stream().forEach(e -> {
                names.add(e.getName());
                String[] parts = e.getName().split("/");
                if (parts.length > 2) {
                    names.add(parts[0] + "/" + parts[1] + "/");
                }
                if (e.getName().startsWith(SHADED) && parts.length > 6) {
                    names.add(SHADED + parts[4] + "/" + parts[5] + "/");
                }
            });
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.isDirectory() || entry.getName().equals("META-INF/MANIFEST.MF") || unrelocated(entry.getName(), names)) {
                    continue;
                }
                String name = entry.getName();
                try (InputStream is = jar.getInputStream(entry)) {
                    if (entries.put(name, is.readAllBytes()) != null) {
                        throw new IllegalStateException("duplicate entry " + name);
                    }
                }
                times.put(name, entry.getTime());
            }
        }
        Set<String> unreachable = unreachable(entries);
        StringBuilder index = new StringBuilder();
        ByteArrayOutputStream bridgeBytes = new ByteArrayOutputStream();
        JarOutputStream bridgeJar = new JarOutputStream(bridgeBytes);
        int launcher = 0, bridge = 0, inst = 0;
        try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(os, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String name = entry.getKey();
                byte[] bytes = entry.getValue();
                if (unreachable.contains(name)) {
                    continue;
                }
                String target;
                if (name.startsWith("dev/moat/agent/MoatAgent") || name.startsWith("dev/moat/agent/AgentClassLoader")) {
                    target = name;
                    launcher++;
                } else if (name.startsWith("dev/moat/agent/bootstrap/")) {
                    // the bridge goes into one ready-made jar the launcher appends to the boot class path
                    bridgeJar.putNextEntry(new JarEntry(name));
                    bridgeJar.write(bytes);
                    bridgeJar.closeEntry();
                    bridge++;
                    continue;
                } else {
                    target = "inst/" + classdata(name);
                    if (name.startsWith(VERSIONS) && name.indexOf('/', VERSIONS.length()) > 0) {
                        index.append("versioned ").append(classdata(basePath(name))).append('\n');
                    }
                    inst++;
                }
                JarEntry copy = new JarEntry(target);
                copy.setTime(times.get(name));
                if (target.endsWith(".classdata") && !deflated(basePath(name))) {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    copy.setMethod(JarEntry.STORED);
                    copy.setSize(bytes.length);
                    copy.setCompressedSize(bytes.length);
                    copy.setCrc(crc.getValue());
                }
                jos.putNextEntry(copy);
                jos.write(bytes);
                jos.closeEntry();
            }
            bridgeJar.close();
            jos.putNextEntry(new JarEntry(BRIDGE));
            jos.write(bridgeBytes.toByteArray());
            jos.closeEntry();
            // read by the launcher instead of enumerating the jar's entries at start-up
            jos.putNextEntry(new JarEntry(INDEX));
            jos.write(index.toString().getBytes(StandardCharsets.UTF_8));
            jos.closeEntry();
        }
        if (launcher == 0 || bridge == 0 || inst == 0) {
            throw new IllegalStateException("unexpected layout: launcher=" + launcher + " bridge=" + bridge + " inst=" + inst);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("moat-agent.jar: " + launcher + " launcher, " + bridge + " bridge, " + inst + " isolated entries");
    }

    /**
     * A multi-release entry {@code META-INF/versions/N/a/b/...} of a relocated library: its top two
     * packages {@code a/b/} exist only relocated, under the shaded prefix ({@code names} holds the
     * top two packages of every entry, and of every shaded entry below the prefix).
     */
    static boolean unrelocated(String name, Set<String> names) {
        String base = basePath(name);
        String[] parts = base.split("/");
        if (!name.startsWith(VERSIONS) || base.equals(name) || parts.length < 3 || base.startsWith("dev/moat/")) {
            return false;
        }
        String top = parts[0] + "/" + parts[1] + "/";
        return !names.contains(top) && names.contains(SHADED + top);
    }

    /** The path an entry stands for: {@code p} for {@code META-INF/versions/N/p}, else the name itself. */
    static String basePath(String name) {
        int slash = name.startsWith(VERSIONS) ? name.indexOf('/', VERSIONS.length()) : -1;
        return slash < 0 ? name : name.substring(slash + 1);
    }

    /** The sandbox's libraries (loaded only when a policy sandboxes a tool). */
    static boolean deflated(String path) {
        return path.startsWith(SHADED + "com/google/")
                || path.startsWith(SHADED + "com/dylibso/") || path.startsWith(SHADED + "org/objectweb/");
    }

    /**
     * The entries of the {@link #PRUNED} libraries (multi-release versions included) that no other
     * entry names, directly or through classes of those libraries it names: a name in slashed or
     * dotted form anywhere in an entry's bytes counts, so class references, descriptors, signatures
     * and class names in strings all keep a class.
     */
    static Set<String> unreachable(Map<String, byte[]> entries) {
        Map<String, byte[]> classes = new HashMap<>(); // class name -> bytes of all its versions
        ArrayDeque<String> queue = new ArrayDeque<>();
        Set<String> reached = new HashSet<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String path = basePath(e.getKey());
            if (pruned(path) != null && path.endsWith(".class")) {
                classes.merge(path.substring(0, path.length() - ".class".length()), e.getValue(), Repackage::concat);
            } else {
                enqueue(references(e.getValue()), reached, queue);
            }
        }
        while (!queue.isEmpty()) {
            byte[] bytes = classes.get(queue.poll());
            if (bytes != null) {
                enqueue(references(bytes), reached, queue);
            }
        }
        Set<String> unreachable = new HashSet<>();
        Map<String, int[]> counts = new LinkedHashMap<>(); // library -> {kept, total}
        for (String name : entries.keySet()) {
            String path = basePath(name);
            String library = pruned(path);
            if (library != null && path.endsWith(".class")) {
                int[] count = counts.computeIfAbsent(library, l -> new int[2]);
                count[1]++;
                if (reached.contains(path.substring(0, path.length() - ".class".length()))) {
                    count[0]++;
                } else {
                    unreachable.add(name);
                }
            }
        }
        counts.forEach((library, count) -> System.out.println("moat-agent.jar: " + count[0] + " of " + count[1] + " "
                + library.substring(SHADED.length()) + " entries reachable"));
        return unreachable;
    }

    /** The {@link #PRUNED} library {@code path} belongs to, or {@code null}. */
    private static String pruned(String path) {
        for (String library : PRUNED) {
            if (path.startsWith(library)) {
                return library;
            }
        }
        return null;
    }

    private static void enqueue(Set<String> refs, Set<String> reached, ArrayDeque<String> queue) {
        for (String ref : refs) {
            if (reached.add(ref)) {
                queue.add(ref);
            }
        }
    }

    /** Class names (slashed) of the {@link #PRUNED} libraries mentioned in {@code bytes}, in slashed or dotted form, with their outer classes. */
    static Set<String> references(byte[] bytes) {
        Set<String> refs = new HashSet<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String prefix : PRUNED.stream().flatMap(p -> java.util.stream.Stream.of(p, p.replace('/', '.'))).toList()) {
            for (int i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
                int end = i + prefix.length();
                while (end < text.length() && text.charAt(end) < 128
                        && (Character.isLetterOrDigit(text.charAt(end)) || "_$/.".indexOf(text.charAt(end)) >= 0)) {
                    end++;
                }
                String name = text.substring(i, end).replace('.', '/');
                refs.add(name);
                for (int dollar = name.indexOf('$'); dollar > 0; dollar = name.indexOf('$', dollar + 1)) {
                    refs.add(name.substring(0, dollar));
                }
            }
        }
        return refs;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String classdata(String name) {
        return name.endsWith(".class") ? name.substring(0, name.length() - ".class".length()) + ".classdata" : name;
    }
}
