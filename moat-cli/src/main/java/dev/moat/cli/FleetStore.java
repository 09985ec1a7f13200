package dev.moat.cli;

import dev.moat.MoatException;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
import dev.moat.identity.KeyFiles;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyDocument;
import dev.moat.policy.PolicyException;
import dev.moat.store.SharedTrust;
import dev.moat.store.StoreProviders;
import dev.moat.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fleet's shared trust store as the CLI reaches it: the {@code store:} section of the policy
 * file the replicas run ({@code --policy moat.yaml}), opened with the password from the variable
 * that section names. Changes made through it are enforced by every replica within a second.
 */
final class FleetStore implements AutoCloseable {
    private final MoatPolicy policy;
    private final Stores stores;
    private final SharedTrust trust;

    private FleetStore(MoatPolicy policy, Stores stores, SharedTrust trust) {
        this.policy = policy;
        this.stores = stores;
        this.trust = trust;
    }

    static FleetStore open(Path policyFile, MoatCli cli) {
        if (!Files.isRegularFile(policyFile)) {
            throw CliException.io("no such policy file: " + policyFile);
        }
        MoatPolicy policy;
        try {
            policy = MoatPolicy.load(policyFile);
        } catch (PolicyException e) {
            throw CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
        }
        if (policy.document().store() == null) {
            throw CliException.usage(policyFile + " has no store: section; without one each instance keeps its own "
                    + "revocation list in its home (drop --policy to write this home's)");
        }
        Stores stores;
        try {
            stores = StoreProviders.open(policy.document().store(), cli.env()::get);
        } catch (MoatException e) {
            throw CliException.io(e.getMessage());
        }
        try {
            SharedTrust trust = stores.sharedTrust(event -> { }) // the replicas audit the change when they apply it
                    .orElseThrow(() -> CliException.usage("the store kind '" + policy.document().store().kind()
                            + "' keeps no shared revocations"));
            return new FleetStore(policy, stores, trust);
        } catch (RuntimeException e) {
            stores.close();
            throw e instanceof MoatException m ? CliException.io(m.getMessage()) : e;
        }
    }

    SharedTrust trust() {
        return trust;
    }

    /** Where the change went, for the output: the store's kind and URL (never credentials). */
    String describe() {
        return policy.document().store().kind() + " store " + policy.document().store().url();
    }

    /** An agent named in the policy (through its key file), or null. */
    AgentIdentity policyAgent(String name) {
        for (PolicyDocument.Agent a : policy.agents()) {
            if (a.name().equals(name)) {
                return a.key() != null ? KeyFiles.loadPrivate(policy.resolve(a.key())).identity()
                        : KeyFiles.loadPublic(policy.resolve(a.publicKey()));
            }
        }
        return null;
    }

    static boolean isAgentId(String s) {
        return AgentId.isWellFormed(s);
    }

    @Override
    public void close() {
        try {
            trust.close();
        } finally {
            stores.close();
        }
    }
}
