package dev.moat.sandbox.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * A validated, instrumented module ready to instantiate: one per module hash (and metering
 * choice) in the cache, shared by concurrent runs. Immutable; instances are made per call.
 *
 * @param sha256 hex SHA-256 of the original bytes
 * @param module the instrumented module, parsed and validated by Chicory
 * @param machineFactory compiled machine factory, or {@code null} to interpret
 * @param metered whether fuel checks were injected
 * @param fuelGlobal index of the added fuel counter global
 * @param growRefusedGlobal index of the added "memory.grow refused" flag global
 * @param definedGlobals number of globals the instance creates (the added two are the last)
 * @param initialPages declared initial memory pages (0 without memory)
 * @param declaredMaxPages declared maximum memory pages (65536 when none is declared)
 */
public record LoadedModule(
        String sha256,
        WasmModule module,
        Function<Instance, Machine> machineFactory,
        boolean metered,
        int fuelGlobal,
        int growRefusedGlobal,
        int definedGlobals,
        int initialPages,
        int declaredMaxPages) {}
