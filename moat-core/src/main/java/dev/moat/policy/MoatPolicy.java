package dev.moat.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded policy file: its parsed {@link PolicyDocument}, the directory relative paths resolve
 * against, and the {@link PolicyBinding} (id + SHA-256 of the exact file bytes) that every message
 * must name. Loading validates structure and values; {@link dev.moat.PolicyRuntime#start(MoatPolicy)} turns
 * it into a running {@link dev.moat.Moat}.
 */
public final class MoatPolicy {
    static final int MAX_BYTES = 1024 * 1024;

    private final Path file;
    private final PolicyDocument document;
    private final byte[] bytes; // the exact file bytes, a private copy, for the binding
    private volatile PolicyBinding binding; // hashed on first use: off the start-up path of the Java agent

    private final List<String> warnings;

    private final PolicyPositions positions;

    private MoatPolicy(Path file, PolicyDocument document, byte[] bytes, PolicyPositions positions) {
        this.file = file;
        this.positions = positions;
        this.document = document;
        this.bytes = bytes;
        this.warnings = List.copyOf(warnings(document));
    }

    /**
     * What is valid but probably not meant: a sequence rule that matches call kinds while a
     * granted resource is classified by no {@code monitor.kinds} glob (its calls count as
     * {@code execute}, so a {@code secret} then {@code network} sequence never sees them).
     * Logged when Moat starts from the policy and printed by {@code moat policy check}.
     */
    public List<String> warnings() {
        return warnings;
    }

    private static List<String> warnings(PolicyDocument doc) {
        List<String> out = new java.util.ArrayList<>();
        MonitorSection m = doc.monitor();
        if (m == null || m.sequences() == null || doc.grants() == null) {
            return out;
        }
        boolean kindSteps = m.sequences().stream().anyMatch(s -> s.steps().stream().anyMatch(st -> st.kind() != null));
        if (!kindSteps) {
            return out;
        }
        var kinds = m.kindResolver();
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (PolicyDocument.GrantSpec g : doc.grants()) {
            for (PolicyDocument.ScopeSpec a : g.allow()) {
                if (!kinds.classifies(a.resource()) && seen.add(a.resource())) {
                    out.add("monitor: sequence rules match call kinds, but the granted resource " + a.resource()
                            + " is classified by no monitor.kinds entry: its calls count as execute and no kind step"
                            + " sees them; add it to monitor.kinds");
                }
            }
        }
        return out;
    }

    /** Reads and validates a policy file. */
    public static MoatPolicy load(Path file) {
        byte[] bytes;
        try {
            bytes = dev.moat.internal.BoundedFiles.read(file, MAX_BYTES);
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw new PolicyException(e.getMessage());
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(file, bytes);
    }

    /** Parses policy bytes; {@code file} names the source in errors and anchors relative paths. */
    public static MoatPolicy parse(Path file, byte[] bytes) {
        PolicyReader.Read read = PolicyReader.read(file, bytes);
        PolicyPositions positions = read.positions();
        PolicyDocument doc = read.document();
        if (doc == null) {
            throw new PolicyException(file + ": empty policy");
        }
        PolicyValidator.validate(file, doc, positions);
        return new MoatPolicy(file, doc, bytes.clone(), positions);
    }

    public Path file() {
        return file;
    }

    public PolicyDocument document() {
        return document;
    }

    /** The policy's id and the SHA-256 of its exact bytes (computed once, on first use). */
    public PolicyBinding binding() {
        PolicyBinding b = binding;
        if (b == null) {
            b = PolicyBinding.of(document.id(), bytes); // a race computes the same value twice
            binding = b;
        }
        return b;
    }

    /** Where each key and list item of the file is (for errors found after loading). */
    public PolicyPositions positions() {
        return positions;
    }

    /**
     * An error at {@code field} ({@code grants[1]}, {@code agents[0].key}) of this file, as
     * {@code file:line:column: field: problem}.
     */
    public PolicyException error(String field, String problem) {
        return PolicyException.at(file, positions, field, problem);
    }

    /** Resolves a path from the policy against the policy file's directory. */
    public Path resolve(String path) {
        Path base = file.toAbsolutePath().getParent();
        return base.resolve(path).normalize();
    }

    /** The agents section, never null. */
    public List<PolicyDocument.Agent> agents() {
        return document.agents() == null ? List.of() : document.agents();
    }
}
