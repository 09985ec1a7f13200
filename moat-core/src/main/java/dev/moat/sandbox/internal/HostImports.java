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
 * refused, clocks frozen and sleeping refused) and {@code moat.http_request}. A path that is
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

    /** Import values for one run. */
    public static ImportValues forRun(WasiPreview1 wasi, HostFunction httpRequest) {
        List<ImportFunction> functions = new ArrayList<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            functions.add(guard(f));
        }
        functions.add(httpRequest);
        return ImportValues.builder().withFunctions(functions).build();
    }

    private static HostFunction guard(HostFunction f) {
        HostFunction checked = checkedPaths(f);
        WasmFunctionHandle h = checked.handle();
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
