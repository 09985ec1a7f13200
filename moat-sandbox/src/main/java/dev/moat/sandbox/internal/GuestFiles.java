package dev.moat.sandbox.internal;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.moat.crypto.Sha256;
import dev.moat.sandbox.SandboxFailure;
import dev.moat.token.ResourceLimits;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The guest's file system: one in-memory Jimfs per granted path holding copies of the granted
 * host files, preopened under the same absolute name. Symlinks and special files on the host are
 * never copied; a grant whose own path goes through a symlink is refused. Below the grant, every
 * directory and file is opened relative to its open parent with {@code NOFOLLOW_LINKS}
 * ({@link SecureDirectoryStream}), so a folder swapped for a symlink during the copy is not entered. Changes in writable
 * grants are copied back by {@link #writeBack()} (called only after a successful run), file by
 * file, only when changed, only below the grant, never through a host symlink. Deletions are not
 * propagated.
 */
public final class GuestFiles implements Closeable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** What is granted under one preopened directory: its whole tree, or single files in it. */
    private static final class Spec {
        final Path host;
        boolean wholeTree;
        boolean treeWritable;
        final Map<String, Boolean> files = new LinkedHashMap<>();

        Spec(Path host) {
            this.host = host;
        }

        boolean writable(Path rel) {
            return treeWritable || (rel.getNameCount() == 1 && files.getOrDefault(rel.toString(), false));
        }
    }

    private record Mount(String guestPath, Spec spec, FileSystem fs, Path guestRoot, Map<String, byte[]> originals) {}

    /** The in-memory root of a mount whose grants are all read-only: the guest may not change it. */
    static final String READ_ONLY_ROOT = "/grant-ro";

    /** True when {@code guestRoot} (a {@link #preopens()} value) holds only read-only grants. */
    public static boolean isReadOnly(Path guestRoot) {
        return guestRoot.toString().equals(READ_ONLY_ROOT);
    }

    private final List<Mount> mounts = new ArrayList<>();
    private final long maxBytes;
    private final int maxFiles;
    private long copiedBytes;
    private int copiedFiles;

    private GuestFiles(long maxBytes, int maxFiles) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /**
     * Copies every granted path into memory; throws {@link RunStopped} on a bad grant or over the
     * caps. Grants of single files are preopened as their parent directory holding only the granted
     * files; grants naming the same directory are merged (writable wins).
     */
    public static GuestFiles stage(ResourceLimits limits, long maxBytes, int maxFiles) {
        GuestFiles files = new GuestFiles(maxBytes, maxFiles);
        try {
            Map<String, Spec> specs = new LinkedHashMap<>();
            for (String p : limits.writePaths()) {
                plan(specs, p, true);
            }
            for (String p : limits.readPaths()) {
                plan(specs, p, false);
            }
            for (Map.Entry<String, Spec> e : specs.entrySet()) {
                files.mount(e.getKey(), e.getValue());
            }
            return files;
        } catch (IOException e) {
            files.close();
            throw new RunStopped(SandboxFailure.FS_LIMIT, "cannot copy granted files: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** Guest directory name to in-memory directory, for WASI preopens. */
    public Map<String, Path> preopens() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Mount m : mounts) {
            out.put(m.guestPath(), m.guestRoot());
        }
        return out;
    }

    private static void plan(Map<String, Spec> specs, String grant, boolean writable) throws IOException {
        Path host = Paths.get(grant);
        if (!Files.exists(host, NOFOLLOW)) {
            Path parent = host.getParent();
            if (writable && parent != null && Files.isDirectory(parent, NOFOLLOW) && parent.toRealPath().equals(parent)) {
                // a writable file that does not exist yet: the guest may create it
                specs.computeIfAbsent(parent.toString(), k -> new Spec(parent)).files
                        .merge(host.getFileName().toString(), true, Boolean::logicalOr);
            }
            return; // otherwise nothing there to copy; the guest sees no such path
        }
        if (!host.toRealPath().equals(host)) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "granted path goes through a symlink");
        }
        BasicFileAttributes attrs = Files.readAttributes(host, BasicFileAttributes.class, NOFOLLOW);
        if (attrs.isDirectory()) {
            Spec spec = specs.computeIfAbsent(grant, k -> new Spec(host));
            spec.wholeTree = true;
            spec.treeWritable |= writable;
        } else if (attrs.isRegularFile() && host.getParent() != null) {
            Spec spec = specs.computeIfAbsent(host.getParent().toString(), k -> new Spec(host.getParent()));
            spec.files.merge(host.getFileName().toString(), writable, Boolean::logicalOr);
        } else {
            throw new RunStopped(SandboxFailure.FS_LIMIT, "granted path is neither a directory nor a regular file");
        }
    }

    private void mount(String guestPath, Spec spec) throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(maxBytes).build());
        boolean readOnly = !spec.treeWritable && !spec.files.containsValue(true);
        Path root = fs.getPath(readOnly ? READ_ONLY_ROOT : "/grant");
        Files.createDirectory(root);
        Map<String, byte[]> originals = new LinkedHashMap<>();
        mounts.add(new Mount(guestPath, spec, fs, root, originals));
        // every step below the grant is opened relative to an open directory, never by path, and
        // without following links: a folder swapped for a symlink mid-copy is not entered
        try (DirectoryStream<Path> top = Files.newDirectoryStream(spec.host)) {
            if (!(top instanceof SecureDirectoryStream<Path> dir)) {
                throw new RunStopped(SandboxFailure.FS_LIMIT, "this platform cannot copy a grant without following links");
            }
            if (spec.wholeTree) {
                copyTree(dir, root, "", originals, 0);
            } else {
                for (String name : spec.files.keySet()) {
                    copyFile(dir, spec.host.getFileSystem().getPath(name), root.resolve(name), name, originals);
                }
            }
        }
    }

    private void copyTree(SecureDirectoryStream<Path> dir, Path guestDir, String prefix, Map<String, byte[]> originals, int depth)
            throws IOException {
        if (depth >= 64) {
            return;
        }
        List<Path> names = new ArrayList<>();
        for (Path entry : dir) {
            names.add(entry.getFileName());
        }
        for (Path name : names) {
            BasicFileAttributes a;
            try {
                a = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
            } catch (IOException e) {
                continue; // gone or unreadable: the guest does not see it
            }
            String rel = prefix.isEmpty() ? name.toString() : prefix + "/" + name;
            if (a.isDirectory()) {
                SecureDirectoryStream<Path> sub;
                try {
                    sub = dir.newDirectoryStream(name, NOFOLLOW); // O_NOFOLLOW: a swapped-in symlink fails here
                } catch (IOException e) {
                    continue;
                }
                try (sub) {
                    Path g = guestDir.resolve(name.toString());
                    Files.createDirectory(g);
                    copyTree(sub, g, rel, originals, depth + 1);
                }
            } else if (a.isRegularFile()) {
                copyFile(dir, name, guestDir.resolve(name.toString()), rel, originals);
            } // symlinks and special files are never copied
        }
    }

    /** Copies {@code name} of {@code dir}, opened without following a link, at most the remaining byte budget. */
    private void copyFile(SecureDirectoryStream<Path> dir, Path name, Path to, String rel, Map<String, byte[]> originals) throws IOException {
        try {
            BasicFileAttributes a = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
            if (!a.isRegularFile()) {
                return;
            }
        } catch (IOException e) {
            return; // absent (a writable file the guest may create) or unreadable
        }
        if (++copiedFiles > maxFiles) {
            throw new RunStopped(SandboxFailure.FS_LIMIT, "granted files exceed the copy limit");
        }
        byte[] data;
        try (SeekableByteChannel ch = dir.newByteChannel(name, java.util.Set.<java.nio.file.OpenOption>of(StandardOpenOption.READ, NOFOLLOW))) {
            long budget = maxBytes - copiedBytes;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf.clear()) > 0) {
                out.write(buf.array(), 0, buf.position());
                if (out.size() > budget) {
                    throw new RunStopped(SandboxFailure.FS_LIMIT, "granted files exceed the copy limit");
                }
            }
            data = out.toByteArray();
        } catch (IOException e) {
            return; // swapped for a link or gone since it was listed: not copied
        }
        copiedBytes += data.length;
        Files.write(to, data);
        originals.put(rel, Sha256.hash(data));
    }

    /** Copies changed and new files of writable grants back to the host; returns the host paths written. */
    public List<String> writeBack() throws IOException {
        List<String> written = new ArrayList<>();
        for (Mount m : mounts) {
            if (!m.spec().treeWritable && !m.spec().files.containsValue(true)) {
                continue;
            }
            List<Path> guestFiles;
            try (Stream<Path> walk = Files.walk(m.guestRoot(), 64)) {
                guestFiles = walk.filter(p -> Files.isRegularFile(p, NOFOLLOW)).toList();
            }
            for (Path g : guestFiles) {
                Path rel = m.guestRoot().relativize(g);
                String relName = rel.toString();
                if (!m.spec().writable(rel)) {
                    continue;
                }
                byte[] data = Files.readAllBytes(g);
                byte[] before = m.originals().get(relName);
                if (before != null && java.security.MessageDigest.isEqual(before, Sha256.hash(data))) {
                    continue;
                }
                written.add(HostWriter.write(m.spec().host, rel, data));
            }
        }
        return written;
    }

    @Override
    public void close() {
        for (Mount m : mounts) {
            try {
                m.fs().close();
            } catch (IOException | RuntimeException e) {
                // in-memory: nothing to release on the host
            }
        }
        mounts.clear();
    }
}
