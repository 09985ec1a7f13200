import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Lays out moat-agent.jar from the shaded jar (run by the build with Java's source launcher):
 * the launcher (dev/moat/agent/MoatAgent*, AgentClassLoader*) stays a class at the root; the
 * bootstrap bridge (dev/moat/agent/bootstrap/**) becomes the nested jar bootstrap/moat-bridge.jar
 * (copied to a file as it is and appended to the boot class path) and everything else moves to inst/,
 * with ".class" renamed ".classdata", so the application's class loader can load none of them.
 * META-INF/moat-agent.index lists the multi-release paths under inst/, so the launcher never enumerates the jar's many thousand entries at start-up.
 */
public final class Repackage {
    static final String INDEX = "META-INF/moat-agent.index";
    static final String BRIDGE = "bootstrap/moat-bridge.jar";

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Set<String> seen = new HashSet<>();
        StringBuilder index = new StringBuilder();
        java.io.ByteArrayOutputStream bridgeBytes = new java.io.ByteArrayOutputStream();
        JarOutputStream bridgeJar = new JarOutputStream(bridgeBytes);
        int launcher = 0, bridge = 0, inst = 0;
        try (JarFile jar = new JarFile(in.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(os, manifest)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    String target;
                    if (name.startsWith("dev/moat/agent/MoatAgent") || name.startsWith("dev/moat/agent/AgentClassLoader")) {
                        target = name;
                        launcher++;
                    } else if (name.startsWith("dev/moat/agent/bootstrap/")) {
                        // the bridge goes into one ready-made jar the launcher appends to the boot class path
                        bridgeJar.putNextEntry(new JarEntry(name));
                        try (InputStream is = jar.getInputStream(entry)) {
                            is.transferTo(bridgeJar);
                        }
                        bridgeJar.closeEntry();
                        bridge++;
                        continue;
                    } else {
                        target = "inst/" + classdata(name);
                        String versions = "inst/META-INF/versions/";
                        int slash = target.indexOf('/', versions.length());
                        if (target.startsWith(versions) && slash > 0) {
                            index.append("versioned ").append(target.substring(slash + 1)).append('\n');
                        }
                        inst++;
                    }
                    if (!seen.add(target)) {
                        throw new IllegalStateException("duplicate entry " + target);
                    }
                    JarEntry copy = new JarEntry(target);
                    copy.setTime(entry.getTime());
                    jos.putNextEntry(copy);
                    try (InputStream is = jar.getInputStream(entry)) {
                        is.transferTo(jos);
                    }
                    jos.closeEntry();
                }
                bridgeJar.close();
                jos.putNextEntry(new JarEntry(BRIDGE));
                jos.write(bridgeBytes.toByteArray());
                jos.closeEntry();
                // read by the launcher instead of enumerating the jar's entries at start-up
                jos.putNextEntry(new JarEntry(INDEX));
                jos.write(index.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                jos.closeEntry();
            }
        }
        if (launcher == 0 || bridge == 0 || inst == 0) {
            throw new IllegalStateException("unexpected layout: launcher=" + launcher + " bridge=" + bridge + " inst=" + inst);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("moat-agent.jar: " + launcher + " launcher, " + bridge + " bridge, " + inst + " isolated entries");
    }

    private static String classdata(String name) {
        return name.endsWith(".class") ? name.substring(0, name.length() - ".class".length()) + ".classdata" : name;
    }
}
