package dev.moat.sandbox.internal;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.InvalidException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.moat.sandbox.SandboxFailure;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * One instantiation and {@code _start} call of a {@link LoadedModule} on a fresh worker thread,
 * interrupted at the deadline. Captures the fuel counter, the grow flag and the memory through
 * the instance factories, so they are known even when instantiation itself fails.
 */
public final class GuestRun {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long GRACE_MILLIS = 2000;
    private static final long STACK_BYTES = 16L * 1024 * 1024;

    private final LoadedModule module;
    private final int maxPages;
    private final long fuelBudget;
    private final byte[] input;
    private final BoundedOutput stdout;
    private final BoundedOutput stderr;
    private final Map<String, Path> preopens;
    private final HttpEgress egress;

    private volatile Memory memory;
    private volatile GlobalInstance fuel;
    private volatile GlobalInstance growRefused;
    private volatile Integer exitCode;
    private volatile Throwable failure;
    private volatile boolean timedOut;

    public GuestRun(LoadedModule module, int maxPages, long fuelBudget, byte[] input, BoundedOutput stdout,
            BoundedOutput stderr, Map<String, Path> preopens, HttpEgress egress) {
        this.module = module;
        this.maxPages = maxPages;
        this.fuelBudget = fuelBudget;
        this.input = input;
        this.stdout = stdout;
        this.stderr = stderr;
        this.preopens = preopens;
        this.egress = egress;
    }

    /** Runs to completion or until {@code deadlineMillis}; never throws for guest behaviour. */
    public void execute(long deadlineMillis) throws InterruptedException {
        Thread worker = new Thread(null, this::body, "moat-sandbox-" + module.sha256().substring(0, 12), STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(Math.max(1, deadlineMillis));
        } catch (InterruptedException e) {
            worker.interrupt(); // the caller gave up: so does the guest
            throw e;
        }
        if (worker.isAlive()) {
            timedOut = true;
            worker.interrupt();
            worker.join(GRACE_MILLIS);
        }
    }

    private void body() {
        WasiOptions.Builder opts = WasiOptions.builder()
                .withStdin(new ByteArrayInputStream(input), false)
                .withStdout(stdout, false)
                .withStderr(stderr, false)
                .withClock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .withRandom(RANDOM);
        preopens.forEach(opts::withDirectory);
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(opts.build()).build()) {
            int[] created = {0};
            Instance.Builder b = Instance.builder(module.module())
                    .withImportValues(HostImports.forRun(wasi, egress.function(),
                            preopens.values().stream().map(GuestFiles::isReadOnly).toList()))
                    .withStart(false)
                    .withMemoryLimits(new MemoryLimits(module.initialPages(), maxPages))
                    .withMemoryFactory(limits -> {
                        Memory m = new ByteBufferMemory(limits);
                        memory = m;
                        return m;
                    })
                    .withTableFactory(GuestRun::cappedTable)
                    .withGlobalFactory((value, high, type, mutability) -> {
                        int index = created[0]++;
                        if (index == module.fuelGlobal()) {
                            fuel = new GlobalInstance(fuelBudget, 0, type, mutability);
                            return fuel;
                        }
                        GlobalInstance g = new GlobalInstance(value, high, type, mutability);
                        if (index == module.growRefusedGlobal()) {
                            growRefused = g;
                        }
                        return g;
                    });
            if (module.machineFactory() != null) {
                b.withMachineFactory(module.machineFactory());
            }
            Instance instance = b.build();
            instance.export("_start").apply();
            exitCode = 0;
        } catch (WasiExitException e) {
            exitCode = e.exitCode();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private static TableInstance cappedTable(Table table, int initValue) {
        TableLimits l = table.limits();
        long max = Math.min(l.max(), ModuleLoader.MAX_TABLE_ENTRIES);
        return new TableInstance(new Table(table.elementType(), new TableLimits(l.min(), max)), initValue);
    }

    /** {@code null} when the guest exited with 0; otherwise why it stopped. */
    public RunStopped stopReason() {
        if (timedOut) {
            return new RunStopped(SandboxFailure.DEADLINE, "wall-clock deadline passed");
        }
        Throwable f = failure;
        if (f instanceof RunStopped r) {
            return r;
        }
        if (stdout.exceeded() || stderr.exceeded()) {
            return new RunStopped(SandboxFailure.OUTPUT_LIMIT, "output cap reached");
        }
        if (module.metered() && fuel != null && fuel.getValue() < 0) {
            return new RunStopped(SandboxFailure.FUEL_EXHAUSTED, "fuel budget exhausted");
        }
        boolean grewBeyond = growRefused != null && growRefused.getValue() != 0;
        Integer code = exitCode;
        if (code != null) {
            if (code == 0) {
                return null;
            }
            return grewBeyond ? new RunStopped(SandboxFailure.MEMORY_LIMIT, "exited after memory.grow was refused")
                    : new RunStopped(SandboxFailure.EXIT_NONZERO, "proc_exit(" + code + ")");
        }
        if (grewBeyond) {
            return new RunStopped(SandboxFailure.MEMORY_LIMIT, "stopped after memory.grow was refused");
        }
        if (f instanceof ChicoryInterruptedException) {
            return new RunStopped(SandboxFailure.DEADLINE, "interrupted");
        }
        if (f instanceof UnlinkableException || f instanceof InvalidException) {
            return new RunStopped(SandboxFailure.INVALID_MODULE, "cannot instantiate: " + f.getClass().getSimpleName());
        }
        if (f instanceof TrapException || f instanceof StackOverflowError || f instanceof RuntimeException) {
            return new RunStopped(SandboxFailure.TRAP, trapText(f));
        }
        if (f == null) {
            return new RunStopped(SandboxFailure.INTERNAL, "guest did not finish");
        }
        return new RunStopped(SandboxFailure.INTERNAL, "host error: " + f.getClass().getSimpleName());
    }

    /** A short trap description for the report, or {@code null}. */
    public String trap() {
        Throwable f = failure;
        if (f == null || f instanceof RunStopped) {
            return null;
        }
        return trapText(f);
    }

    private static String trapText(Throwable f) {
        String m = f.getMessage();
        String text = f.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    public Integer exitCode() {
        return exitCode;
    }

    /** Fuel charged (at most the budget), or {@code null} when not metered or never instantiated. */
    public Long fuelUsed() {
        GlobalInstance g = fuel;
        if (!module.metered() || g == null) {
            return null;
        }
        long remaining = g.getValue();
        return remaining < 0 ? fuelBudget : fuelBudget - remaining;
    }

    public long peakMemoryBytes() {
        Memory m = memory;
        return m == null ? 0 : (long) m.pages() * Memory.PAGE_SIZE;
    }

}
