package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checked-in vectors are exactly what the generator produces. To regenerate after a deliberate
 * change: {@code ./mvnw -q -pl moat-core test -Dtest=VectorGeneratorTest -Dmoat.vectors.write=true}.
 */
@Timeout(120)
class VectorGeneratorTest {

    @Test
    void checkedInVectorsMatchAFreshRun() throws IOException {
        Map<String, byte[]> generated = VectorGenerator.generate();
        if (Boolean.getBoolean("moat.vectors.write")) {
            VectorGenerator.main(new String[] {VectorsTest.DIR.toString()});
        }
        for (Map.Entry<String, byte[]> e : generated.entrySet()) {
            Path file = VectorsTest.DIR.resolve(e.getKey());
            assertThat(file).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s is stale: regenerate with -Dmoat.vectors.write=true", file)
                    .isEqualTo(new String(e.getValue(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void generationIsDeterministic() {
        Map<String, byte[]> a = VectorGenerator.generate();
        Map<String, byte[]> b = VectorGenerator.generate();
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
    }

    @Test
    void namesAreUniqueAndThereAreEnough() throws IOException {
        Set<String> names = new HashSet<>();
        int chainsAndMessages = 0;
        for (byte[] file : VectorGenerator.generate().values()) {
            for (JsonNode v : new ObjectMapper().readTree(file).get("vectors")) {
                assertThat(names.add(v.get("name").textValue())).as("duplicate %s", v.get("name")).isTrue();
                String kind = v.get("kind").textValue();
                if (kind.equals("chain") || kind.equals("message")) {
                    chainsAndMessages++;
                }
            }
        }
        assertThat(chainsAndMessages).isGreaterThanOrEqualTo(40);
    }
}
