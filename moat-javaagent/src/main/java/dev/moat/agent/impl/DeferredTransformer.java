package dev.moat.agent.impl;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The premain transformer: Byte Buddy's transformer costs seconds of class loading and class
 * generation to build, so it is built on a background thread while the application starts. Until
 * then (and after) this transformer applies the cheap byte pre-filter of {@link FilteringTransformer}
 * to every class; a candidate class waits for Byte Buddy's transformer and goes through it, so no
 * candidate class is ever defined uninstrumented. If the build fails, a candidate is reported as
 * not instrumentable: fatal in enforce mode ({@link InstrumentationReport#failed}).
 */
final class DeferredTransformer implements ClassFileTransformer {
    private final FutureTask<ClassFileTransformer> delegate;
    private final List<ClassPattern> configured;
    private final ClassLoader own;
    private final InstrumentationReport report;
    private final Thread builder;

    private DeferredTransformer(FutureTask<ClassFileTransformer> delegate, List<ClassPattern> configured, ClassLoader own,
                                InstrumentationReport report) {
        this.delegate = delegate;
        this.configured = List.copyOf(configured);
        this.own = own;
        this.report = report;
        this.builder = new Thread(delegate, "moat-agent-instrumentation");
        this.builder.setDaemon(true);
    }

    /** Starts building {@code transformer} on a daemon thread; classes of {@code own} are never transformed. */
    static DeferredTransformer start(Supplier<ClassFileTransformer> transformer, List<ClassPattern> configured, ClassLoader own,
                                     InstrumentationReport report) {
        DeferredTransformer t = new DeferredTransformer(new FutureTask<>(transformer::get), configured, own, report);
        t.builder.start();
        return t;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] buffer)
            throws IllegalClassFormatException {
        ClassFileTransformer d = delegateFor(loader, name, buffer);
        return d == null ? null : d.transform(loader, name, redefined, domain, buffer);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] buffer) throws IllegalClassFormatException {
        ClassFileTransformer d = delegateFor(loader, name, buffer);
        return d == null ? null : d.transform(module, loader, name, redefined, domain, buffer);
    }

    /** Byte Buddy's transformer for a candidate class (waiting for it), or {@code null} to pass the class over. */
    private ClassFileTransformer delegateFor(ClassLoader loader, String name, byte[] buffer) {
        if (loader == own || Thread.currentThread() == builder || name == null || jdk(name)
                || !FilteringTransformer.candidate(configured, name, buffer)) {
            return null; // the agent's own classes, JDK classes, and what the build itself loads, are never targets
        }
        try {
            return delegate.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(name, e);
        } catch (ExecutionException e) {
            return fail(name, e.getCause() == null ? e : e.getCause());
        }
    }

    /** The JDK packages Byte Buddy's transformer ignores too (see GuardTransformer): never waited for. */
    private static boolean jdk(String name) {
        return name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/");
    }

    private ClassFileTransformer fail(String name, Throwable error) {
        String type = name.replace('/', '.');
        report.attempt(type);
        report.failed(type, new IllegalStateException("the instrumentation could not be built: " + error, error));
        return null; // audit-only mode: the class runs unguarded (reported); enforce mode has halted
    }
}
