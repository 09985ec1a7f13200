package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * moat-core's packages form layers: no package depends, directly or through others, on a package
 * that depends on it. Read from the sources of {@code src/main/java}: every {@code import} and every
 * fully qualified {@code dev.moat...Type} in code (comments and string literals are removed first).
 *
 * <p>The root package holds two things at opposite ends: the {@link Moat} facade and its start-up
 * from a policy ({@code PolicyRuntime}), which use everything, and {@link MoatException}, the base
 * exception every package throws. {@code MoatException} is therefore its own node, and this test
 * checks that it depends on no Moat package at all (a leaf can be in no cycle).
 */
@Timeout(30)
class PackageCycleTest {
    private static final String ROOT = "dev.moat";
    private static final String BASE_EXCEPTION = ROOT + ".MoatException";
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.moat(?:\\.[a-z_][a-z0-9_]*)*\\.[A-Z]\\w*");
    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'", Pattern.DOTALL);

    @Test
    void thePackageGraphOfMoatCoreIsAcyclic() throws IOException {
        Map<String, Set<String>> graph = graph(sources());
        assertThat(graph).containsKeys(ROOT, ROOT + ".guard", ROOT + ".policy", BASE_EXCEPTION);
        assertThat(graph.get(BASE_EXCEPTION)).as("MoatException must depend on no Moat package").isEmpty();
        List<Set<String>> cycles = cycles(graph);
        assertThat(cycles).as("package cycles (each set depends on itself through its members): %s; edges: %s",
                cycles, edgesWithin(graph, cycles)).isEmpty();
    }

    @Test
    void theCheckFindsACycle() {
        // the detector itself: a -> b -> c -> a is reported, d -> a is not part of it
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertThat(cycles(g)).containsExactly(Set.of("a", "b", "c"));
        assertThat(graph(Map.of(
                "dev/moat/x/A.java", "package dev.moat.x;\nimport dev.moat.y.B; // dev.moat.z.Ignored\nclass A {}",
                "dev/moat/y/B.java", "package dev.moat.y;\nclass B { String s = \"dev.moat.z.C\"; dev.moat.x.A a; }")))
                .containsEntry("dev.moat.x", Set.of("dev.moat.y")).containsEntry("dev.moat.y", Set.of("dev.moat.x"));
    }

    /** Source path relative to src/main/java, to its text. */
    private static Map<String, String> sources() throws IOException {
        Path base = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
        assertThat(base).isDirectory();
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                out.put(base.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, Set<String>> graph(Map<String, String> sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String path = e.getKey();
            String pkg = path.substring(0, path.lastIndexOf('/')).replace('/', '.');
            String type = pkg + "." + path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length());
            String from = node(pkg, type);
            Set<String> deps = graph.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(COMMENT_OR_STRING.matcher(e.getValue()).replaceAll(" "));
            while (m.find()) {
                String ref = m.group();
                String refPkg = ref.substring(0, ref.lastIndexOf('.'));
                String to = node(refPkg, ref);
                if (!to.equals(from)) {
                    deps.add(to);
                }
            }
        }
        return graph;
    }

    private static String node(String pkg, String type) {
        return type.equals(BASE_EXCEPTION) ? BASE_EXCEPTION : pkg;
    }

    /** Strongly connected components with more than one node (Tarjan), each sorted. */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    private static List<String> edgesWithin(Map<String, Set<String>> graph, List<Set<String>> cycles) {
        List<String> edges = new ArrayList<>();
        for (Set<String> c : cycles) {
            for (String a : c) {
                for (String b : graph.getOrDefault(a, Set.of())) {
                    if (c.contains(b)) {
                        edges.add(a + " -> " + b);
                    }
                }
            }
        }
        return edges;
    }
}
