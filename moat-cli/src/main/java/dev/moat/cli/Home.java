package dev.moat.cli;

import dev.moat.MoatException;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.AgentNames;
import dev.moat.identity.HomeFolder;
import dev.moat.identity.KeyFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A Moat home folder ({@code .moat/} by default): {@code keys/NAME.key} (private, 0600) and
 * {@code keys/NAME.pub} per identity, {@code trusted_roots.json} and {@code revoked.json}.
 * Identities with only a {@code .pub} were imported: this home can name them but not sign for them.
 * Created with the marker {@code .moat-home}; see {@link HomeFolder} for what is refused.
 */
public final class Home {
    private final Path root;

    public Home(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path keysDir() {
        return root.resolve("keys");
    }

    public Path privateKeyFile(String name) {
        return keysDir().resolve(validName(name) + ".key");
    }

    public Path publicKeyFile(String name) {
        return keysDir().resolve(validName(name) + ".pub");
    }

    public TrustStore trustStore() {
        return new TrustStore(root.resolve("trusted_roots.json"));
    }

    public RevocationList revocations() {
        return new RevocationList(root.resolve("revoked.json"));
    }

    public boolean exists(String name) {
        return Files.exists(publicKeyFile(name)) || Files.exists(privateKeyFile(name));
    }

    public boolean hasPrivateKey(String name) {
        return Files.exists(privateKeyFile(name));
    }

    /**
     * Refuses an unsafe home ({@link HomeFolder}: a symbolic link, not owned by the user, writable by
     * group or others, or with content but no marker of a home Moat created here).
     */
    public Home checked() {
        try {
            HomeFolder.check(root);
        } catch (MoatException e) {
            throw CliException.denied("unsafe_home", e.getMessage());
        }
        return this;
    }

    /** Creates the home (owner-only, with its marker) if absent, then its {@code keys/} folder. */
    void createWithKeys() {
        create();
        CliFiles.ownerOnlyDirectory(keysDir());
    }

    /** Creates the home (owner-only, with its marker) if absent. */
    void create() {
        try {
            HomeFolder.prepare(root);
        } catch (MoatException e) {
            throw CliException.denied("unsafe_home", e.getMessage());
        }
    }

    /** Generates and stores a new identity; refuses to replace an existing one. */
    public AgentKeypair generate(String name) {
        if (exists(name)) {
            throw CliException.denied("exists", "identity '" + name + "' already exists in " + root);
        }
        AgentKeypair kp = AgentKeypair.generate(name);
        store(kp);
        return kp;
    }

    /** Stores a keypair made elsewhere (for example one generated before it was known to be needed). */
    public void store(AgentKeypair kp) {
        String name = kp.name();
        if (exists(name)) {
            throw CliException.denied("exists", "identity '" + name + "' already exists in " + root);
        }
        createWithKeys();
        try {
            KeyFiles.savePrivate(kp, privateKeyFile(name));
            KeyFiles.savePublic(kp.identity(), publicKeyFile(name));
        } catch (MoatException e) {
            throw CliException.io(e.getMessage(), e);
        }
    }

    /** Stores someone else's public identity (no private key) under its own name. */
    public void importPublic(AgentIdentity identity) {
        Optional<AgentIdentity> existing = find(identity.name());
        if (existing.isPresent()) {
            if (existing.get().id().equals(identity.id())) {
                return;
            }
            throw CliException.denied("exists", "a different identity named '" + identity.name() + "' already exists in " + root);
        }
        createWithKeys();
        try {
            KeyFiles.savePublic(identity, publicKeyFile(identity.name()));
        } catch (MoatException e) {
            throw CliException.io(e.getMessage(), e);
        }
    }

    /** The signing identity {@code name}; exit 3 when this home has no private key for it. */
    public AgentKeypair keypair(String name) {
        Path file = privateKeyFile(name);
        if (!Files.exists(file)) {
            String hint = Files.exists(publicKeyFile(name))
                    ? "only its public identity was imported here"
                    : "create it with: moat identity generate --name " + name;
            throw CliException.io("no private key for '" + name + "' in " + keysDir() + " (" + hint + ")");
        }
        try {
            return KeyFiles.loadPrivate(file);
        } catch (MoatException e) {
            throw CliException.denied("key_file", e.getMessage());
        }
    }

    /** The public identity {@code name}; exit 3 when it is unknown here. */
    public AgentIdentity identity(String name) {
        return find(name).orElseThrow(() -> CliException.io("no identity '" + name + "' in " + keysDir()
                + " (create it with: moat identity generate --name " + name + ")"));
    }

    public Optional<AgentIdentity> find(String name) {
        Path pub = publicKeyFile(name);
        Path key = privateKeyFile(name);
        Path file = Files.exists(pub) ? pub : Files.exists(key) ? key : null;
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyFiles.loadPublic(file));
        } catch (MoatException e) {
            throw CliException.denied("key_file", e.getMessage());
        }
    }

    /** Every identity in this home, by name. */
    public List<AgentIdentity> identities() {
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(keysDir())) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(keysDir(), "*.{key,pub}")) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    String name = n.substring(0, n.length() - 4);
                    if (AgentNames.isValid(name)) {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                throw CliException.io("cannot list " + keysDir() + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }
        List<AgentIdentity> out = new ArrayList<>();
        for (String n : names) {
            find(n).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(AgentIdentity::name));
        return out;
    }

    /** Local names by agent id, for showing ids as names. */
    public Map<AgentId, String> names() {
        Map<AgentId, String> m = new HashMap<>();
        for (AgentIdentity i : identities()) {
            m.putIfAbsent(i.id(), i.name());
        }
        return m;
    }

    /** The local name of {@code id}, if this home knows it. */
    public Optional<String> nameOf(AgentId id) {
        return Optional.ofNullable(names().get(id));
    }

    private static String validName(String name) {
        if (!AgentNames.isValid(name)) {
            throw CliException.usage("invalid identity name '" + name + "' (1-64 of A-Z a-z 0-9 . _ -, starting alphanumeric)");
        }
        return name;
    }
}
