package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Runs every vector in spec/vectors/*.json as its own dynamic test. */
@Timeout(120)
class VectorsTest {
    static final Path DIR = Path.of("..", "spec", "vectors");

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    static JsonNode load(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicContainer> vectors() throws IOException {
        List<Path> files = files();
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> {
            JsonNode doc = load(f);
            assertThat(doc.get("format").textValue()).isEqualTo(VectorGenerator.FORMAT);
            List<DynamicTest> tests = new ArrayList<>();
            for (JsonNode v : doc.get("vectors")) {
                tests.add(dynamicTest(v.get("name").textValue(), () -> VectorRunner.run(v)));
            }
            return dynamicContainer(f.getFileName().toString(), tests);
        });
    }
}
