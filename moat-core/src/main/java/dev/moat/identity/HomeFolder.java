package dev.moat.identity;

import dev.moat.MoatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The safety rules for a Moat home folder (keys, trusted roots, revocations, the audit log), for
 * the CLI and {@code Moat.fromPolicy} alike. Whoever can write the home can replace what Moat
 * trusts, so a home (and its {@code keys/} folder and trust files) is refused when it is a
 * symbolic link, not owned by the current user, or writable by group or others; and a home with
 * content is trusted only when it holds the marker {@value #MARKER} that Moat wrote when it created
 * (or was told to adopt) exactly this folder. The marker names the folder's file key (device and
 * inode), so a {@code .moat/} folder shipped inside a cloned repository, marker included, is not
 * trusted: adopt one explicitly with {@code moat init}.
 *
 * <p>Checks need POSIX attributes; where the file system has none (Windows), only the symbolic-link
 * and marker rules apply.
 */
public final class HomeFolder {
    /** The marker file inside a home Moat created or adopted. */
    public static final String MARKER = ".moat-home";
    private static final List<String> TRUST_FILES = List.of("trusted_roots.json", "revoked.json", MARKER);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private HomeFolder() {}

    /**
     * Makes {@code home} ready to use: creates it owner-only with its marker when absent (or when it
     * is an empty folder), else checks it; then creates {@code keys/} owner-only if absent.
     *
     * @throws MoatException naming the problem and the fix, when the home is unsafe or not Moat's
     */
    public static void prepare(Path home) {
        if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS) || isEmptyDirectory(home)) {
            adopt(home);
        } else {
            check(home);
        }
        Path keys = home.resolve("keys");
        if (!Files.exists(keys, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(keys);
                if (POSIX) {
                    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
                }
            } catch (IOException e) {
                throw new MoatException("cannot create " + keys + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }
    }

    /**
     * Checks an existing {@code home}; does nothing when it does not exist yet.
     *
     * @throws MoatException when it is unsafe or holds no valid marker
     */
    public static void check(Path home) {
        if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS) || isEmptyDirectory(home)) {
            return;
        }
        checkSafe(home);
        Path marker = home.resolve(MARKER);
        String expected = markerText(home);
        String found;
        try {
            found = Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) && Files.size(marker) < 4096
                    ? Files.readString(marker, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            found = null;
        }
        if (!expected.equals(found)) {
            throw new MoatException("the Moat home " + home + " was not created here by Moat (no valid " + MARKER
                    + " marker): a .moat folder found in a working directory, for example one shipped in a cloned repository, "
                    + "is not trusted. If it is yours, adopt it with: moat init --home " + home);
        }
    }

    /**
     * Adopts {@code home} (creating it owner-only if absent) after the ownership and permission
     * checks, by writing its marker: what {@code moat init} does.
     */
    public static void adopt(Path home) {
        try {
            if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(home);
                if (POSIX) {
                    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
                }
            }
            checkSafe(home);
            Path tmp = home.resolve(MARKER + ".tmp");
            Files.deleteIfExists(tmp);
            if (POSIX) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, markerText(home), StandardCharsets.UTF_8);
            Files.move(tmp, home.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MoatException("cannot create the Moat home " + home + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The ownership and permission rules alone, for the home, {@code keys/} and the trust files. */
    public static void checkSafe(Path home) {
        requireSafe(home, true);
        Path keys = home.resolve("keys");
        if (Files.exists(keys, LinkOption.NOFOLLOW_LINKS)) {
            requireSafe(keys, true);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(keys)) {
                for (Path f : files) {
                    requireSafe(f, false);
                }
            } catch (IOException e) {
                throw new MoatException("cannot list " + keys + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }
        for (String name : TRUST_FILES) {
            Path f = home.resolve(name);
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                requireSafe(f, false);
            }
        }
    }

    private static void requireSafe(Path p, boolean directory) {
        if (Files.isSymbolicLink(p)) {
            String target;
            try {
                target = String.valueOf(Files.readSymbolicLink(p));
            } catch (IOException e) {
                target = "?";
            }
            throw new MoatException(p + " is a symbolic link (to " + target + "); Moat does not follow links in its home: "
                    + "point --home (or MOAT_HOME, or the policy's home:) at the real folder");
        }
        if (directory ? !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) : !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new MoatException(p + " is not a " + (directory ? "directory" : "regular file"));
        }
        if (!POSIX) {
            return;
        }
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!String.valueOf(uid).equals(String.valueOf(CurrentUser.UID))) {
                throw new MoatException(p + " is owned by " + a.owner().getName() + ", not by the current user: "
                        + "Moat trusts only a home its user owns");
            }
            Set<PosixFilePermission> perms = a.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new MoatException(p + " is writable by " + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
                        + " (" + PosixFilePermissions.toString(perms) + "), so another user could replace what Moat trusts: fix with chmod go-w " + p);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new MoatException("cannot check the owner and mode of " + p + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static boolean isEmptyDirectory(Path p) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** What the marker of {@code home} says: this exact folder (its file key), so a copied or shipped marker does not fit. */
    private static String markerText(Path home) {
        try {
            BasicFileAttributes a = Files.readAttributes(home, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object key = a.fileKey();
            return "moat home v1\nfolder " + (key != null ? key : home.toAbsolutePath().normalize()) + "\n";
        } catch (IOException e) {
            throw new MoatException("cannot read the attributes of " + home + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The uid of this process, read from a file it creates (no native code, no trust in user.name). */
    private static final class CurrentUser {
        static final Object UID = read();

        private static Object read() {
            if (!POSIX) {
                return null;
            }
            try {
                Path probe = Files.createTempFile("moat-uid", ".probe");
                try {
                    return Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException | UnsupportedOperationException e) {
                throw new MoatException("cannot determine the current user (" + e.getClass().getSimpleName() + ")", e);
            }
        }
    }
}
