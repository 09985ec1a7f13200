package dev.moat.sandbox.internal;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.moat.sandbox.SandboxFailure;
import java.util.function.Function;

/**
 * Turns untrusted bytes into a {@link LoadedModule}, or a {@link RunStopped} with
 * {@link SandboxFailure#INVALID_MODULE}: parse and validate, check imports, memories, tables and
 * features against what the sandbox supports, instrument, validate again, and compile if asked.
 * The caller has already checked the size cap.
 */
public final class ModuleLoader {
    /** Largest table (entries) a guest may declare as its initial size. */
    public static final long MAX_TABLE_ENTRIES = 1 << 16;

    private ModuleLoader() {}

    public static LoadedModule load(byte[] bytes, String sha256, boolean meterFuel, boolean compile) {
        WasmModule original = parse(bytes, "module");
        checkShape(original);
        String unsupported = Instrumenter.unsupportedFeature(original);
        if (unsupported != null) {
            throw invalid("unsupported instruction " + unsupported);
        }
        Instrumenter.Result rewritten;
        try {
            rewritten = Instrumenter.instrument(bytes, original, meterFuel);
        } catch (InstrumentationException e) {
            throw invalid("cannot instrument: " + e.getMessage());
        }
        WasmModule module = parse(rewritten.bytes(), "instrumented module");
        Function<Instance, Machine> factory = null;
        if (compile) {
            try {
                factory = MachineFactoryCompiler.builder(module).compile();
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                throw invalid("cannot compile: " + e.getClass().getSimpleName());
            }
        }
        int initial = 0;
        int max = MemoryLimits.MAX_PAGES;
        if (original.memorySection().isPresent() && original.memorySection().get().memoryCount() == 1) {
            MemoryLimits limits = original.memorySection().get().getMemory(0).limits();
            initial = limits.initialPages();
            max = limits.maximumPages();
        }
        return new LoadedModule(sha256, module, factory, meterFuel, rewritten.fuelGlobal(),
                rewritten.growRefusedGlobal(), module.globalSection().globalCount(), initial, max);
    }

    private static WasmModule parse(byte[] bytes, String what) {
        try {
            return Parser.parse(bytes);
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // Chicory's parser reports some malformed input through assertions when they are on
            throw invalid(what + " does not parse or validate: " + e.getClass().getSimpleName());
        }
    }

    private static void checkShape(WasmModule m) {
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import imp = m.importSection().getImport(i);
            if (imp.importType() != ExternalType.FUNCTION || !HostImports.isProvided(imp.module(), imp.name())) {
                throw invalid("unsupported import " + imp.module() + "." + imp.name());
            }
        }
        if (m.memorySection().isPresent()) {
            var memories = m.memorySection().get();
            if (memories.memoryCount() > 1) {
                throw invalid("more than one memory");
            }
            if (memories.memoryCount() == 1 && memories.getMemory(0).limits().shared()) {
                throw invalid("shared memory");
            }
        }
        for (int i = 0; i < m.tableSection().tableCount(); i++) {
            if (m.tableSection().getTable(i).limits().min() > MAX_TABLE_ENTRIES) {
                throw new RunStopped(SandboxFailure.MEMORY_LIMIT, "table larger than " + MAX_TABLE_ENTRIES);
            }
        }
        boolean hasStart = false;
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            hasStart |= e.name().equals("_start") && e.exportType() == ExternalType.FUNCTION;
        }
        if (!hasStart) {
            throw invalid("no exported _start function");
        }
    }

    private static RunStopped invalid(String detail) {
        return new RunStopped(SandboxFailure.INVALID_MODULE, detail);
    }
}
