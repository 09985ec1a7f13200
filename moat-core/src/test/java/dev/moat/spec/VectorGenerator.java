package dev.moat.spec;

import static dev.moat.spec.V.map;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.moat.TestKeys;
import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes spec/vectors/*.json. Deterministic: fixed seeds, fixed ids, fixed clock, and Ed25519
 * signatures are deterministic, so running it twice gives identical bytes (VectorGeneratorTest
 * checks the checked-in files against a fresh run). Usage: {@code VectorGenerator [dir]}.
 */
public final class VectorGenerator {
    public static final String FORMAT = "moat-vectors/1";

    private VectorGenerator() {}

    /** File name to file bytes, in a fixed order. */
    public static Map<String, byte[]> generate() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("primitives.json", file("Agent ids, domain-separated signatures and hashes, base64url and time text.", PrimitiveVectors.all()));
        files.put("canonical.json", file("Canonical JSON: JSON text in, canonical bytes or a typed problem out.", CanonicalJsonVectors.all()));
        files.put("resources.json", file("Resource normal form, pattern syntax, matching and coverage.", ResourceVectors.all()));
        List<Map<String, Object>> chains = new ArrayList<>(ChainVectors.all());
        chains.addAll(AttenuationVectors.all());
        chains.addAll(TamperVectors.all());
        files.put("chains.json", file("Token chain verification: valid chains with request decisions, and every way a chain is refused.", chains));
        files.put("messages.json", file("Authenticated message verification (signature, digests, proof of possession, form, sizes).", MessageVectors.all()));
        files.put("audit.json", file("Stored audit log lines: every event type and field parsed and hashed, and the lines a verifier refuses.", AuditVectors.all()));
        return files;
    }

    private static byte[] file(String description, List<Map<String, Object>> vectors) {
        List<Object> agents = new ArrayList<>();
        for (AgentKeypair a : Fixture.AGENTS) {
            agents.add(map("name", a.name(), "seed", Base64Url.encode(TestKeys.seed(a.name())),
                    "public_key", a.publicKey().toBase64Url(), "id", a.id().value()));
        }
        Map<String, Object> doc = map("format", FORMAT, "description", description,
                "generated_by", "moat-core/src/test/java/dev/moat/spec/VectorGenerator.java", "agents", agents, "vectors", vectors);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        ObjectWriter w = new ObjectMapper().writer(pp);
        try {
            return (w.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../spec/vectors");
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : generate().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println("wrote " + dir.resolve(e.getKey()));
        }
    }
}
