package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.store.StoreProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StoreSectionTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            version: 1
            id: fleet
            agents:
              - name: admin
                public: admin.id
            trusted_roots: [admin]
            """;

    private MoatPolicy load(String store) throws Exception {
        Path f = dir.resolve("moat.yaml");
        Files.writeString(f, HEAD + store);
        return MoatPolicy.load(f);
    }

    @Test
    void aPostgresSectionIsTyped() throws Exception {
        MoatPolicy p = load("""
                store: {kind: postgres, url: "jdbc:postgresql://127.0.0.1:5432/moat", user: moat,
                        password: {env: PGPASSWORD}, replica: api-1, pool_size: 4, connect_timeout: 2s, query_timeout: 3s}
                """);
        StoreSection s = p.document().store();
        assertThat(s.kind()).isEqualTo("postgres");
        assertThat(s.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/moat");
        assertThat(s.user()).isEqualTo("moat");
        assertThat(s.passwordEnv()).isEqualTo("PGPASSWORD");
        assertThat(s.replica()).isEqualTo("api-1");
        assertThat(s.poolSize()).isEqualTo(4);
        assertThat(s.connectTimeoutOrDefault()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.queryTimeoutOrDefault()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLiteralPasswordIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: x, user: moat, password: hunter2-secret}\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("store: password: a literal password is not allowed in the policy file")
                .hasMessageNotContaining("hunter2-secret");
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> load("store: {kind: postgres, password: {env: PGPASSWORD, file: x}}\n"))
                .hasMessageContaining("store: password: must be exactly {env: VARIABLE_NAME}");
        assertThatThrownBy(() -> load("store: {kind: postgres, pool_size: 0}\n")).hasMessageContaining("store: pool_size");
        assertThatThrownBy(() -> load("store: {kind: postgres, connect_timeout: 10ms}\n")).hasMessageContaining("store: connect_timeout");
        assertThatThrownBy(() -> load("store: {kind: postgres, replica: 'a b'}\n")).hasMessageContaining("store: replica");
        assertThatThrownBy(() -> load("store: {kind: Postgres}\n")).hasMessageContaining("store: kind");
        assertThatThrownBy(() -> load("store: {kind: postgres, host: x}\n")).isInstanceOf(PolicyException.class).hasMessageContaining("host");
    }

    @Test
    void aKindWithoutAProviderIsAClearError() throws Exception {
        StoreSection s = load("store: {kind: redis, url: x}\n").document().store();
        assertThatThrownBy(() -> StoreProviders.open(s, name -> null))
                .isInstanceOf(MoatException.class)
                .hasMessage("store: no provider for kind 'redis' on the class path");
    }
}
