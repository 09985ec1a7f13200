package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a policy file into its records with Jackson's streaming YAML parser and a small binder over
 * the records' {@code @JsonProperty} names, instead of Jackson databind: databind's mapper and the
 * deserializers it builds for the policy records cost a few hundred milliseconds of class loading
 * at start-up (the Java agent reads the policy before the application's {@code main}). The rules
 * are Jackson's strict ones: duplicate keys, unknown keys and missing required keys are errors;
 * text that spells a number may fill a number field and a scalar may fill a text field; a number
 * field refuses a fraction, a boolean field refuses anything but true or false. Errors are
 * {@link PolicyException}s in the words and at the positions of {@link PolicyErrors}.
 */
final class PolicyReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int MAX_DEPTH = 64;
    private static final Map<Class<?>, RecordShape> SHAPES = new ConcurrentHashMap<>();

    private final Path file;
    private final PolicyPositions positions;

    private PolicyReader(Path file, PolicyPositions positions) {
        this.file = file;
        this.positions = positions;
    }

    /** What a policy file holds: its document ({@code null} for an empty file) and where each key and item is. */
    record Read(PolicyDocument document, PolicyPositions positions) {}

    /**
     * The document in {@code bytes} and its positions, from one parse. A file that does not parse
     * is an error at the parser's position (it has no positions of its own).
     */
    static Read read(Path file, byte[] bytes) {
        Node root;
        try (JsonParser p = YAML.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Read(null, PolicyPositions.NONE);
            }
            root = node(p, first, 0);
        } catch (Deep e) {
            throw PolicyException.atPosition(file, e.line, e.column, null, "nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw PolicyErrors.of(file, e);
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot parse (" + e.getClass().getSimpleName() + ")");
        }
        PolicyPositions positions = PolicyPositions.of(positions(root));
        if (root instanceof Scalar s && s.token() == JsonToken.VALUE_NULL) {
            return new Read(null, positions);
        }
        if (!(root instanceof Mapping)) {
            throw PolicyException.atPosition(file, root.line(), root.column(), null,
                    "the policy must be a mapping of keys (version: 1, id: ...)");
        }
        return new Read((PolicyDocument) new PolicyReader(file, positions).bind(root, PolicyDocument.class, ""), positions);
    }

    /** {@code grants[1].issuer} -> {@code line:column} of the key; {@code grants[1]} -> of the item. */
    private static Map<String, String> positions(Node root) {
        Map<String, String> at = new java.util.HashMap<>();
        collect(root, "", at);
        return at;
    }

    private static void collect(Node node, String path, Map<String, String> at) {
        if (node instanceof Mapping m) {
            for (Map.Entry<String, Node> e : m.entries().entrySet()) {
                String field = child(path, e.getKey());
                int[] key = m.keys().get(e.getKey());
                at.putIfAbsent(field, key[0] + ":" + key[1]);
                collect(e.getValue(), field, at);
            }
        } else if (node instanceof Sequence q) {
            for (int i = 0; i < q.items().size(); i++) {
                Node item = q.items().get(i);
                String field = path + "[" + i + "]";
                at.putIfAbsent(field, item.line() + ":" + item.column());
                collect(item, field, at);
            }
        }
    }

    /** A parsed YAML value with where it starts. */
    private sealed interface Node permits Mapping, Sequence, Scalar {
        int line();

        int column();
    }

    /** A mapping: its entries in file order and where each key is ({@code [line, column]}). */
    private record Mapping(Map<String, Node> entries, Map<String, int[]> keys, int line, int column) implements Node {}

    private record Sequence(List<Node> items, int line, int column) implements Node {}

    /** A scalar: its token kind, its text as the parser gives it, and for a number its value. */
    private record Scalar(JsonToken token, String text, Number number, int line, int column) implements Node {}

    /** Nesting beyond {@link #MAX_DEPTH}, at the value that went too deep. */
    private static final class Deep extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        Deep(int line, int column) {
            super(null, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    private static Node node(JsonParser p, JsonToken t, int depth) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        int column = p.currentTokenLocation().getColumnNr();
        if (depth > MAX_DEPTH) {
            throw new Deep(line, column);
        }
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, int[]> keys = new java.util.HashMap<>();
            for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                String name = p.currentName();
                keys.put(name, new int[] {p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr()});
                entries.put(name, node(p, p.nextToken(), depth + 1));
            }
            return new Mapping(entries, keys, line, column);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                items.add(node(p, i, depth + 1));
            }
            return new Sequence(items, line, column);
        }
        Number number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT ? p.getNumberValue() : null;
        return new Scalar(t, t == JsonToken.VALUE_NULL ? null : p.getText(), number, line, column);
    }

    private Object bind(Node node, Type type, String path) {
        Class<?> raw = raw(type);
        if (raw == com.fasterxml.jackson.databind.JsonNode.class) {
            return JsonTree.of(node);
        }
        if (node instanceof Scalar s && s.token() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (raw == String.class) {
            if (node instanceof Scalar s) {
                return s.text();
            }
            throw mismatch(path, raw, node);
        }
        if (raw == Integer.class || raw == Long.class) {
            return wholeNumber(node, raw, path);
        }
        if (raw == Double.class) {
            return number(node, path);
        }
        if (raw == Boolean.class) {
            if (node instanceof Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
                return s.token() == JsonToken.VALUE_TRUE;
            }
            if (node instanceof Scalar s && s.token() == JsonToken.VALUE_STRING && ("true".equals(s.text()) || "false".equals(s.text()))) {
                return Boolean.valueOf(s.text());
            }
            throw mismatch(path, raw, node);
        }
        if (raw == List.class) {
            if (!(node instanceof Sequence seq)) {
                throw mismatch(path, raw, node);
            }
            Type element = argument(type, 0);
            List<Object> out = new ArrayList<>(seq.items().size());
            for (int i = 0; i < seq.items().size(); i++) {
                out.add(bind(seq.items().get(i), element, path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (raw == Map.class) {
            if (!(node instanceof Mapping map)) {
                throw mismatch(path, raw, node);
            }
            Type value = argument(type, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : map.entries().entrySet()) {
                out.put(e.getKey(), bind(e.getValue(), value, child(path, e.getKey())));
            }
            return Collections.unmodifiableMap(out);
        }
        if (raw.isRecord()) {
            if (!(node instanceof Mapping map)) {
                throw mismatch(path, raw, node);
            }
            return record(map, raw, path);
        }
        throw new IllegalStateException("policy field type not supported: " + raw.getName());
    }

    private Object record(Mapping map, Class<?> type, String path) {
        RecordShape shape = SHAPES.computeIfAbsent(type, RecordShape::of);
        Object[] args = new Object[shape.names().size()];
        for (Map.Entry<String, Node> e : map.entries().entrySet()) {
            int i = shape.names().indexOf(e.getKey());
            String field = child(path, e.getKey());
            if (i < 0) {
                List<String> known = shape.names();
                throw PolicyException.at(file, positions, field, "unknown key '" + e.getKey() + "'" + Suggestions.didYouMean(e.getKey(), known)
                        + "; the keys " + (path.isEmpty() ? "at the top level" : "of " + path)
                        + " are " + String.join(", ", new TreeSet<>(known)));
            }
            args[i] = bind(e.getValue(), shape.types().get(i), field);
        }
        for (int i = 0; i < args.length; i++) {
            String key = shape.names().get(i);
            if (shape.required().get(i) && !map.entries().containsKey(key)) {
                // a required key that is missing next to a key written like it: that key is the typo
                var typo = Suggestions.closest(key, positions.keysUnder(path));
                if (typo.isPresent()) {
                    return throwTypo(path, typo.get(), key);
                }
                throw PolicyException.at(file, positions, path.isEmpty() ? null : path, "missing required key '" + key + "'");
            }
        }
        try {
            return PolicyRecords.construct(type, args);
        } catch (IllegalArgumentException e) { // a record that checks its values (none does yet)
            throw PolicyException.at(file, positions, path.isEmpty() ? null : path, e.getMessage() != null ? e.getMessage() : "invalid value");
        } catch (ClassCastException e) { // the binder gave a value of another type: a bug here, not in the file
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private Object throwTypo(String path, String typo, String key) {
        String written = path.isEmpty() ? typo : path + "." + typo;
        throw PolicyException.at(file, positions, written, "unknown key '" + typo + "' (did you mean '" + key + "'?)");
    }

    private Object wholeNumber(Node node, Class<?> type, String path) {
        if (!(node instanceof Scalar s) || (s.token() != JsonToken.VALUE_NUMBER_INT && s.token() != JsonToken.VALUE_STRING)) {
            throw mismatch(path, type, node);
        }
        BigInteger value;
        if (s.number() != null) {
            value = s.number() instanceof BigInteger b ? b : BigInteger.valueOf(s.number().longValue());
        } else {
            try {
                value = new BigInteger(s.text().trim());
            } catch (NumberFormatException e) {
                throw shown(path, type, s);
            }
        }
        BigInteger min = BigInteger.valueOf(type == Integer.class ? Integer.MIN_VALUE : Long.MIN_VALUE);
        BigInteger max = BigInteger.valueOf(type == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw shown(path, type, s);
        }
        return type == Integer.class ? (Object) value.intValue() : (Object) value.longValue();
    }

    private Object number(Node node, String path) {
        if (!(node instanceof Scalar s) || (s.token() != JsonToken.VALUE_NUMBER_INT && s.token() != JsonToken.VALUE_NUMBER_FLOAT
                && s.token() != JsonToken.VALUE_STRING)) {
            throw mismatch(path, Double.class, node);
        }
        try {
            double d = s.number() != null ? s.number().doubleValue() : Double.parseDouble(s.text().trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw shown(path, Double.class, s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw shown(path, Double.class, s);
        }
    }

    private PolicyException shown(String path, Class<?> type, Scalar s) {
        return PolicyException.at(file, positions, path, "expected " + PolicyErrors.expected(type) + ", found " + PolicyErrors.shown(s.text()));
    }

    private PolicyException mismatch(String path, Class<?> type, Node node) {
        String found;
        if (node instanceof Mapping) {
            found = "a mapping";
        } else if (node instanceof Sequence) {
            found = "a list";
        } else {
            found = switch (((Scalar) node).token()) {
                case VALUE_STRING -> "text";
                case VALUE_NUMBER_INT -> "a whole number";
                case VALUE_NUMBER_FLOAT -> "a decimal number";
                case VALUE_TRUE, VALUE_FALSE -> "true/false";
                default -> "nothing";
            };
        }
        return PolicyException.at(file, positions, path, "expected " + PolicyErrors.expected(type) + ", found " + found);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("policy field type not supported: " + type);
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalStateException("policy collection without element type: " + type);
    }

    /** A record's YAML keys, generic component types and required flags, in component order. */
    private record RecordShape(List<String> names, List<Type> types, List<Boolean> required) {
        static RecordShape of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            List<String> names = new ArrayList<>();
            List<Type> types = new ArrayList<>();
            List<Boolean> required = new ArrayList<>();
            for (int i = 0; i < components.length; i++) {
                JsonProperty property; // on the component's field (the annotation does not target record components)
                try {
                    property = type.getDeclaredField(components[i].getName()).getAnnotation(JsonProperty.class);
                } catch (NoSuchFieldException e) {
                    property = null;
                }
                if (property == null) {
                    throw new IllegalStateException(type.getName() + "." + components[i].getName() + " has no @JsonProperty");
                }
                names.add(property.value());
                types.add(components[i].getGenericType());
                required.add(property.required());
            }
            return new RecordShape(List.copyOf(names), List.copyOf(types), List.copyOf(required));
        }
    }

    /** The two free-form fields (monitor.state_machine, store.password) as Jackson trees, as databind would give them. */
    private static final class JsonTree {
        private JsonTree() {}

        static com.fasterxml.jackson.databind.JsonNode of(Node node) {
            var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
            if (node instanceof Mapping m) {
                var o = f.objectNode();
                m.entries().forEach((k, v) -> o.set(k, of(v)));
                return o;
            }
            if (node instanceof Sequence q) {
                var a = f.arrayNode();
                q.items().forEach(i -> a.add(of(i)));
                return a;
            }
            Scalar s = (Scalar) node;
            return switch (s.token()) {
                case VALUE_STRING -> f.textNode(s.text());
                case VALUE_NUMBER_INT -> f.numberNode(s.number() instanceof BigInteger b ? b : BigInteger.valueOf(s.number().longValue()));
                case VALUE_NUMBER_FLOAT -> f.numberNode(s.number().doubleValue());
                case VALUE_TRUE -> f.booleanNode(true);
                case VALUE_FALSE -> f.booleanNode(false);
                default -> f.nullNode();
            };
        }
    }
}
