package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The original Moat README's commands, in order, and what must fail around them. */
@Timeout(60)
class WalkthroughTest {
    @TempDir
    Path dir;

    @BeforeEach
    void originalSequence() {
        ok("identity", "generate", "--name", "alice");
        ok("token", "create", "--issuer", "alice", "--subject", "bob", "--resource", "tool://analyze",
                "--actions", "read,execute", "--max-fuel", "1000000", "--expires-in", "1h");
        ok("token", "attenuate", "--token", "bob.token", "--subject", "carol", "--resource", "tool://analyze", "--actions", "read");
    }

    private CliRun run(String... args) {
        return CliRun.in(dir, args);
    }

    private CliRun ok(String... args) {
        CliRun r = run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void theOriginalSequenceVerifies() {
        CliRun verify = ok("token", "verify", "--token", "carol.token", "--json");
        JsonNode j = verify.json();
        assertThat(j.path("valid").asBoolean()).isTrue();
        assertThat(j.path("root").path("name").asText()).isEqualTo("alice");
        assertThat(j.path("subject").path("name").asText()).isEqualTo("carol");
        assertThat(j.path("links")).hasSize(2);
        assertThat(j.path("links").get(1).path("allow").get(0).path("actions").toString()).isEqualTo("[\"read\"]");
        assertThat(j.path("links").get(1).path("limits").path("maxFuel").asLong()).isEqualTo(1_000_000L);
        assertThat(Files.exists(dir.resolve("bob.token"))).isTrue();
        assertThat(ok("token", "verify", "--token", "carol.token").out()).contains("alice -> bob -> carol");
    }

    @Test
    void unknownSubjectsAreGeneratedWithANoteAndKeysAreOwnerOnly() throws Exception {
        assertThat(run("identity", "show", "carol").exit()).isZero();
        Path key = dir.resolve(".moat/keys/carol.key");
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        CliRun r = run("token", "create", "--issuer", "alice", "--subject", "dave", "--resource", "tool://x", "--actions", "read");
        assertThat(r.err()).contains("generated identity dave");
        CliRun refused = run("token", "create", "--issuer", "alice", "--subject", "erin", "--no-generate",
                "--resource", "tool://x", "--actions", "read");
        assertThat(refused.exit()).isEqualTo(ExitCodes.IO);
        assertThat(Files.exists(dir.resolve(".moat/keys/erin.key"))).isFalse();
    }

    @Test
    void attenuatingToABroaderScopeExits1AndNamesTheRule() {
        CliRun actions = run("token", "attenuate", "--token", "carol.token", "--subject", "dave",
                "--resource", "tool://analyze", "--actions", "read,execute", "--json");
        assertThat(actions.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(actions.reason()).isEqualTo("broadened");
        assertThat(actions.json().path("rule").asText()).isEqualTo("actions");
        assertThat(actions.err()).contains("rule 'actions'").doesNotContain("Exception");

        CliRun scope = run("token", "attenuate", "--token", "carol.token", "--subject", "dave",
                "--resource", "tool://other", "--actions", "read", "--json");
        assertThat(scope.json().path("rule").asText()).isEqualTo("scope");

        CliRun fuel = run("token", "attenuate", "--token", "carol.token", "--subject", "dave",
                "--resource", "tool://analyze", "--actions", "read", "--max-fuel", "2000000", "--json");
        assertThat(fuel.json().path("rule").asText()).isEqualTo("limit.fuel");

        CliRun expiry = run("token", "attenuate", "--token", "carol.token", "--subject", "dave",
                "--resource", "tool://analyze", "--actions", "read", "--expires-in", "7d", "--json");
        assertThat(expiry.json().path("rule").asText()).isEqualTo("expiry");
        // a refused delegation leaves no trace: no token, no generated subject
        assertThat(Files.exists(dir.resolve("dave.token"))).isFalse();
        assertThat(Files.exists(dir.resolve(".moat/keys/dave.key"))).isFalse();
    }

    @Test
    void aNarrowerDelegationWithTighterLimitsWorks() {
        CliRun r = ok("token", "attenuate", "--token", "carol.token", "--subject", "dave", "--resource", "tool://analyze",
                "--actions", "read", "--max-fuel", "10", "--max-memory", "16MiB", "--expires-in", "10m", "--json");
        assertThat(r.json().path("token").path("limits").path("maxMemoryBytes").asLong()).isEqualTo(16L << 20);
        assertThat(ok("token", "verify", "--token", "dave.token", "--json").json().path("links")).hasSize(3);
    }

    @Test
    void aChainEditedByHandFailsVerification() throws Exception {
        Path token = dir.resolve("carol.token");
        ObjectMapper m = new ObjectMapper();
        ObjectNode chain = (ObjectNode) m.readTree(Files.readAllBytes(token));
        ObjectNode leaf = (ObjectNode) chain.get("chain").get(1);
        String payload = new String(Base64.getUrlDecoder().decode(leaf.get("payload").asText()), StandardCharsets.UTF_8);
        String widened = payload.replace("[\"read\"]", "[\"execute\",\"read\"]");
        assertThat(widened).isNotEqualTo(payload);
        leaf.put("payload", Base64.getUrlEncoder().withoutPadding().encodeToString(widened.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(token, m.writeValueAsString(chain));

        CliRun r = run("token", "verify", "--token", "carol.token", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("bad_signature");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aDroppedLinkFailsVerification() throws Exception {
        Path token = dir.resolve("carol.token");
        ObjectMapper m = new ObjectMapper();
        ObjectNode chain = (ObjectNode) m.readTree(Files.readAllBytes(token));
        ((com.fasterxml.jackson.databind.node.ArrayNode) chain.get("chain")).remove(0);
        Files.writeString(token, m.writeValueAsString(chain));
        CliRun r = run("token", "verify", "--token", "carol.token", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("broken_chain");
    }

    @Test
    void aHomeThatDoesNotTrustTheRootRefusesTheChain() throws Exception {
        Files.delete(dir.resolve(".moat/trusted_roots.json"));
        CliRun r = run("token", "verify", "--token", "carol.token", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("untrusted_root");
        assertThat(r.err()).contains("moat identity trust alice");
        ok("identity", "trust", "alice");
        ok("token", "verify", "--token", "carol.token");
    }

    @Test
    void noTrustKeepsTheIssuerUntrusted() {
        ok("identity", "generate", "--name", "mallory");
        ok("token", "create", "--issuer", "mallory", "--subject", "bob", "--resource", "tool://x", "--actions", "read",
                "--no-trust", "--out", "m.token");
        assertThat(run("token", "verify", "--token", "m.token", "--json").reason()).isEqualTo("untrusted_root");
    }

    @Test
    void revokingATokenOrAnAgentInvalidatesTheChain() {
        ok("token", "revoke", "--token", "bob.token");
        CliRun r = run("token", "verify", "--token", "carol.token", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("revoked");
        assertThat(run("token", "verify", "--token", "bob.token", "--json").reason()).isEqualTo("revoked");
    }

    @Test
    void theRevocationListAndTrustStoreAreWrittenOwnerOnlyAndCompleteWithNoTemporaryFileLeft() throws Exception {
        ok("token", "revoke", "--token", "bob.token");
        ok("token", "revoke", "--agent", "carol");
        Path home = dir.resolve(".moat");
        for (String name : new String[] {"revoked.json", "trusted_roots.json"}) {
            assertThat(Files.getPosixFilePermissions(home.resolve(name))).as(name)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        JsonNode revoked = new ObjectMapper().readTree(home.resolve("revoked.json").toFile());
        assertThat(revoked.path("tokens")).hasSize(1);
        assertThat(revoked.path("agents")).hasSize(1);
        assertThat(Files.getPosixFilePermissions(home)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void revokingAnAgent() {
        ok("token", "revoke", "--agent", "carol");
        assertThat(run("token", "verify", "--token", "carol.token", "--json").reason()).isEqualTo("revoked");
        assertThat(ok("token", "verify", "--token", "bob.token").exit()).isZero();
    }

    @Test
    void verifyCanCheckOneAction() {
        ok("token", "verify", "--token", "carol.token", "--resource", "tool://analyze", "--action", "read");
        CliRun r = run("token", "verify", "--token", "carol.token", "--resource", "tool://analyze", "--action", "execute", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("not_granted");
    }

    @Test
    void inspectShowsScopeLimitsChainAndExpiry() {
        CliRun r = ok("token", "inspect", "--token", "carol.token");
        assertThat(r.out()).contains("alice -> bob -> carol", "tool://analyze [execute,read]", "tool://analyze [read]",
                "fuel 1,000,000", "expires", "valid in");
        JsonNode j = ok("token", "inspect", "--token", "carol.token", "--json").json();
        assertThat(j.path("valid").asBoolean()).isTrue();
        assertThat(j.path("links").get(0).path("issuer").path("name").asText()).isEqualTo("alice");
    }

    @Test
    void missingFilesExit3() {
        CliRun r = run("token", "verify", "--token", "nope.token");
        assertThat(r.exit()).isEqualTo(ExitCodes.IO);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(run("token", "create", "--issuer", "nobody", "--subject", "bob", "--resource", "tool://x",
                "--actions", "read").exit()).isEqualTo(ExitCodes.IO);
    }

    @Test
    void aGarbledTokenFileIsInvalidNotACrash() throws Exception {
        Files.writeString(dir.resolve("carol.token"), "{\"chain\":[],\"v\":1}");
        CliRun r = run("token", "verify", "--token", "carol.token", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("malformed");
    }

    @Test
    void noCommandPrintsPrivateKeyMaterial() throws Exception {
        JsonNode key = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(".moat/keys/alice.key")));
        String seed = key.path("private_key").asText();
        assertThat(seed).isNotEmpty();
        for (String[] args : new String[][] {
                {"identity", "show", "alice"}, {"identity", "show", "alice", "--json"}, {"identity", "list", "--json"},
                {"identity", "export-public", "alice"}, {"token", "inspect", "--token", "bob.token", "--json"},
                {"identity", "generate", "--name", "zed", "--json"}}) {
            CliRun r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out() + r.err()).doesNotContain(seed).doesNotContain("private_key");
        }
    }

    @Test
    void generatingAnExistingIdentityIsRefused() {
        CliRun r = run("identity", "generate", "--name", "alice", "--json");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("exists");
    }

    @Test
    void exportAndImportMoveAPublicIdentityToAnotherHome() throws Exception {
        ok("identity", "export-public", "alice", "--out", "alice.pub");
        CliRun r = ok("--home", "other", "--init", "identity", "import", "alice.pub", "--trust");
        assertThat(r.out()).contains("imported alice");
        CliRun verify = ok("--home", "other", "token", "verify", "--token", "carol.token", "--json");
        assertThat(verify.json().path("root").path("name").asText()).isEqualTo("alice");
        assertThat(Files.exists(dir.resolve("other/keys/alice.key"))).isFalse();
    }

    @Test
    void moatHomeFromTheEnvironment() {
        CliRun r = CliRun.in(dir, java.util.Map.of("MOAT_HOME", "elsewhere"), "identity", "generate", "--name", "x");
        assertThat(r.exit()).isZero();
        assertThat(Files.exists(dir.resolve("elsewhere/keys/x.key"))).isTrue();
        assertThat(CliRun.in(dir, java.util.Map.of("MOAT_HOME", "elsewhere"), "identity", "list", "--json").json()
                .path("identities")).hasSize(1);
        Set<String> names = new java.util.TreeSet<>();
        ok("identity", "list", "--json").json().path("identities").forEach(i -> names.add(i.path("name").asText()));
        assertThat(names).containsExactly("alice", "bob", "carol");
    }
}
