package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** spec/bridge-openapi.yaml and the server agree: the same paths and methods, the same request fields. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenApiContractTest {
    private static JsonNode spec() throws Exception {
        return new YAMLMapper().readTree(Path.of("..", "spec", "bridge-openapi.yaml").toFile());
    }

    @Test
    void everyDocumentedOperationIsServedAndViceVersa() throws Exception {
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = spec().get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(BridgeServer.endpoints()));
    }

    @Test
    void everyRequestSchemaListsExactlyTheFieldsTheServerAcceptsAndIsClosed() throws Exception {
        Map<String, Set<String>> documented = new TreeMap<>();
        Map<String, Set<String>> served = new TreeMap<>();
        for (Route r : Route.all()) {
            if (r.method().equals("POST")) {
                served.put(r.path(), new TreeSet<>(r.fields()));
                JsonNode schema = spec().get("paths").get(r.path()).get("post").get("requestBody").get("content")
                        .get("application/json").get("schema");
                assertThat(schema.get("additionalProperties").booleanValue()).as(r.path()).isFalse();
                Set<String> names = new TreeSet<>();
                schema.get("properties").fieldNames().forEachRemaining(names::add);
                documented.put(r.path(), names);
            }
        }
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theDocumentedSuccessStatusIsTheServedOne() throws Exception {
        for (Route r : Route.all()) {
            JsonNode responses = spec().get("paths").get(r.path()).get(r.method().toLowerCase()).get("responses");
            assertThat(responses.has(String.valueOf(r.okStatus()))).as(r.method() + " " + r.path()).isTrue();
        }
    }
}
