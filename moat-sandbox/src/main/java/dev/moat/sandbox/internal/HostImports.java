package dev.moat.sandbox.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.moat.sandbox.SandboxFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only functions a guest can import: WASI preview 1 (with every path argument checked, links
 * refused, clocks frozen and sleeping refused, read-only grants read-only, file system changes
 * counted and capped) and {@code moat.http_request}. A path that is
 * absolute or has a {@code ..} segment, and any attempt to create a link, stops the run with
 * {@link SandboxFailure#IO_DENIED} before WASI sees it.
 */
public final class HostImports {
    public static final String WASI = "wasi_snapshot_preview1";
    public static final String MOAT = "moat";
    public static final String HTTP_REQUEST = "http_request";
    private static final int MAX_PATH = 4096;
    private static final int ERRNO_INVAL = 28;
    private static final int ERRNO_NOSYS = 52;

    /** (pointer, length) argument positions of each path taking WASI function. */
    private static final Map<String, int[]> PATH_ARGS = Map.of(
            "path_create_directory", new int[] {1, 2},
            "path_filestat_get", new int[] {2, 3},
            "path_filestat_set_times", new int[] {2, 3},
            "path_open", new int[] {2, 3},
            "path_readlink", new int[] {1, 2},
            "path_remove_directory", new int[] {1, 2},
            "path_rename", new int[] {1, 2, 4, 5},
            "path_unlink_file", new int[] {1, 2});
    private static final Set<String> DENIED = Set.of("path_symlink", "path_link");
    private static final Set<String> WASI_NAMES = wasiNames();

    private HostImports() {}

    /** True when the sandbox links {@code module.name}. */
    public static boolean isProvided(String module, String name) {
        return (WASI.equals(module) && WASI_NAMES.contains(name)) || (MOAT.equals(module) && HTTP_REQUEST.equals(name));
    }

    /** Import values for one run; {@code preopenReadOnly} says, per preopen in order (fd 3 on), whether the guest may change it. */
    public static ImportValues forRun(WasiPreview1 wasi, HostFunction httpRequest, List<Boolean> preopenReadOnly) {
        FsChanges fs = new FsChanges(preopenReadOnly);
        List<ImportFunction> functions = new ArrayList<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            functions.add(guard(f, fs));
        }
        functions.add(httpRequest);
        return ImportValues.builder().withFunctions(functions).build();
    }

    /** Most changes (directories, created, renamed or removed files) a guest may make to its file system in one run. */
    public static final int MAX_FS_CHANGES = 10_000;
    private static final int ERRNO_ROFS = 69;
    private static final int O_CREAT = 1;
    private static final int O_TRUNC = 8;
    private static final long RIGHT_FD_WRITE = 1L << 6;
    private static final int FDFLAG_APPEND = 1;

    /**
     * Per run: which descriptors lie in a read-only grant (preopens, and what is opened below
     * them), and how many changes the guest made. Jimfs caps file bytes; this caps everything else
     * (a directory costs host memory too) and keeps read-only grants read-only inside the guest.
     */
    private static final class FsChanges {
        private final java.util.Map<Integer, Boolean> readOnly = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();

        FsChanges(List<Boolean> preopenReadOnly) {
            for (int i = 0; i < preopenReadOnly.size(); i++) {
                readOnly.put(3 + i, preopenReadOnly.get(i));
            }
        }

        boolean isReadOnly(long fd) {
            return readOnly.getOrDefault((int) fd, false);
        }

        void count(String function) {
            if (changes.incrementAndGet() > MAX_FS_CHANGES) {
                throw new RunStopped(SandboxFailure.FS_LIMIT, function + ": more than " + MAX_FS_CHANGES + " file system changes");
            }
        }

        /** {@code null} to go on, or the errno to return without calling WASI. */
        long[] before(String name, long[] args) {
            switch (name) {
                case "path_create_directory", "path_remove_directory", "path_unlink_file", "path_filestat_set_times" -> {
                    if (isReadOnly(args[0])) {
                        return new long[] {ERRNO_ROFS};
                    }
                    count(name);
                }
                case "path_rename" -> {
                    if (isReadOnly(args[0]) || isReadOnly(args[3])) {
                        return new long[] {ERRNO_ROFS};
                    }
                    count(name);
                }
                case "path_open" -> {
                    boolean write = (args[4] & (O_CREAT | O_TRUNC)) != 0 || (args[5] & RIGHT_FD_WRITE) != 0 || (args[7] & FDFLAG_APPEND) != 0;
                    if (write && isReadOnly(args[0])) {
                        return new long[] {ERRNO_ROFS};
                    }
                    if ((args[4] & O_CREAT) != 0) {
                        count(name);
                    }
                }
                case "fd_write", "fd_pwrite", "fd_allocate", "fd_filestat_set_size", "fd_filestat_set_times" -> {
                    if (args[0] >= 3 && isReadOnly(args[0])) {
                        return new long[] {ERRNO_ROFS};
                    }
                }
                default -> {
                    // reads and the rest change nothing
                }
            }
            return null;
        }

        void after(String name, Instance instance, long[] args, long[] result) {
            if (result == null || result.length == 0 || result[0] != 0) {
                return;
            }
            switch (name) {
                case "path_open" -> readOnly.put(instance.memory().readInt((int) args[8]), isReadOnly(args[0]));
                case "fd_close" -> readOnly.remove((int) args[0]);
                case "fd_renumber" -> {
                    readOnly.put((int) args[1], isReadOnly(args[0]));
                    readOnly.remove((int) args[0]);
                }
                default -> {
                    // nothing to track
                }
            }
        }
    }

    private static HostFunction guard(HostFunction f, FsChanges fs) {
        HostFunction checked = checkedPaths(f);
        WasmFunctionHandle inner = checked.handle();
        String name = f.name();
        WasmFunctionHandle h = (instance, args) -> {
            long[] refused = fs.before(name, args);
            if (refused != null) {
                return refused;
            }
            long[] result = inner.apply(instance, args);
            fs.after(name, instance, args, result);
            return result;
        };
        // every host call first honours the deadline's interrupt, so a guest cannot spin in host calls past it
        return new HostFunction(checked.module(), checked.name(), checked.functionType(), (instance, args) -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new RunStopped(SandboxFailure.DEADLINE, "interrupted in a host call");
            }
            return h.apply(instance, args);
        });
    }

    private static HostFunction checkedPaths(HostFunction f) {
        String name = f.name();
        WasmFunctionHandle inner = f.handle();
        WasmFunctionHandle handle;
        if (DENIED.contains(name)) {
            handle = (instance, args) -> {
                throw new RunStopped(SandboxFailure.IO_DENIED, name + " is not allowed");
            };
        } else if (PATH_ARGS.containsKey(name)) {
            int[] positions = PATH_ARGS.get(name);
            handle = (instance, args) -> {
                for (int i = 0; i < positions.length; i += 2) {
                    checkPath(instance, name, (int) args[positions[i]], (int) args[positions[i + 1]]);
                }
                return inner.apply(instance, args);
            };
        } else if (name.equals("clock_time_get")) {
            handle = (instance, args) -> {
                if (args[0] < 0 || args[0] > 3) {
                    return new long[] {ERRNO_INVAL};
                }
                instance.memory().writeLong((int) args[2], 0L);
                return new long[] {0};
            };
        } else if (name.equals("clock_res_get")) {
            handle = (instance, args) -> {
                if (args[0] < 0 || args[0] > 3) {
                    return new long[] {ERRNO_INVAL};
                }
                instance.memory().writeLong((int) args[1], 1L);
                return new long[] {0};
            };
        } else if (name.equals("poll_oneoff")) {
            handle = (instance, args) -> new long[] {ERRNO_NOSYS};
        } else {
            return f;
        }
        return new HostFunction(f.module(), name, f.functionType(), handle);
    }

    private static void checkPath(Instance instance, String function, int ptr, int len) {
        if (len < 0 || len > MAX_PATH) {
            throw new RunStopped(SandboxFailure.IO_DENIED, function + ": path too long");
        }
        String path = new String(instance.memory().readBytes(ptr, len), StandardCharsets.UTF_8);
        if (path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new RunStopped(SandboxFailure.IO_DENIED, function + ": absolute or malformed path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw new RunStopped(SandboxFailure.IO_DENIED, function + ": '..' in path");
            }
        }
    }

    private static Set<String> wasiNames() {
        Set<String> names = new HashSet<>();
        try (WasiPreview1 wasi = WasiPreview1.builder().build()) {
            for (HostFunction f : wasi.toHostFunctions()) {
                names.add(f.name());
            }
        }
        return Set.copyOf(names);
    }
}
