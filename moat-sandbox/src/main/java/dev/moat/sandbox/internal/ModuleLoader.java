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
 * The caller has already checked the size cap; the function count and body sizes are capped here
 * before instrumentation and compilation start.
 */
public final class ModuleLoader {
    /** Largest table (entries) a guest may declare as its initial size. */
    public static final long MAX_TABLE_ENTRIES = 1 << 16;
    /** Most functions a module may define: compilation time grows with them (200,000 took 20 s). */
    public static final int MAX_FUNCTIONS = 20_000;
    /** Most instructions in one function body. */
    public static final int MAX_BODY_INSTRUCTIONS = 250_000;

    private ModuleLoader() {}

    public static LoadedModule load(byte[] bytes, String sha256, boolean meterFuel, boolean compile) {
        countFunctions(bytes); // before parsing: parsing 200,000 functions alone takes seconds
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

    /** Reads the function and code section counts from the section headers; malformed input is left to the parser. */
    private static void countFunctions(byte[] b) {
        if (b.length < 8) {
            return;
        }
        int[] pos = {8};
        try {
            while (pos[0] < b.length) {
                int id = b[pos[0]++] & 0xff;
                int size = Leb128.readU32(b, pos, b.length);
                int start = pos[0];
                if (id == 3 || id == 10) {
                    int count = Leb128.readU32(b, pos, b.length);
                    if (count > MAX_FUNCTIONS) {
                        throw invalid(count + " functions, at most " + MAX_FUNCTIONS);
                    }
                }
                if (size < 0 || start + (long) size > b.length) {
                    return;
                }
                pos[0] = start + size;
            }
        } catch (RunStopped e) {
            throw e;
        } catch (RuntimeException e) {
            // malformed: the parser reports it
        }
    }

    private static void checkShape(WasmModule m) {
        // bound what instrumentation and compilation will do, before doing it (they run on the caller's thread)
        int functions = m.codeSection().functionBodyCount();
        if (functions > MAX_FUNCTIONS) {
            throw invalid(functions + " functions, at most " + MAX_FUNCTIONS);
        }
        for (int i = 0; i < functions; i++) {
            int n = m.codeSection().getFunctionBody(i).instructions().size();
            if (n > MAX_BODY_INSTRUCTIONS) {
                throw invalid("function " + i + " has " + n + " instructions, at most " + MAX_BODY_INSTRUCTIONS);
            }
        }
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
