package dev.moat.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.moat.sandbox.internal.Instrumenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** The fuel rewriter keeps every sample valid, is deterministic, and moves no existing index. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InstrumenterTest {

    @TestFactory
    Stream<DynamicTest> everySampleStaysValidAfterInstrumentation() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(samples())) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wasm"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(names).hasSizeGreaterThan(15);
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            byte[] original = Skills.load(name).bytes();
            WasmModule parsed = Parser.parse(original);
            Instrumenter.Result metered = Instrumenter.instrument(original, parsed, true);
            WasmModule reparsed = Parser.parse(metered.bytes()); // validates
            assertThat(metered.fuelGlobal()).isEqualTo(parsed.globalSection().globalCount());
            assertThat(metered.growRefusedGlobal()).isEqualTo(metered.fuelGlobal() + 1);
            assertThat(reparsed.globalSection().globalCount()).isEqualTo(parsed.globalSection().globalCount() + 2);
            assertThat(reparsed.codeSection().functionBodyCount()).isEqualTo(parsed.codeSection().functionBodyCount());
            assertThat(reparsed.exportSection().exportCount()).isEqualTo(parsed.exportSection().exportCount());
            assertThat(Instrumenter.instrument(original, parsed, true).bytes()).isEqualTo(metered.bytes());
        }));
    }

    @Test
    void withoutMeteringOnlyGrowChecksAreAdded() {
        byte[] original = Skills.load("cpu_loop").bytes();
        WasmModule parsed = Parser.parse(original);
        WasmModule plain = Parser.parse(Instrumenter.instrument(original, parsed, false).bytes());
        WasmModule metered = Parser.parse(Instrumenter.instrument(original, parsed, true).bytes());
        assertThat(instructions(plain)).isEqualTo(instructions(parsed));
        assertThat(instructions(metered)).isGreaterThan(instructions(parsed));
    }

    @Test
    void everyMemoryGrowIsFollowedByARefusalCheck() {
        byte[] original = Skills.load("memory_bomb").bytes();
        WasmModule parsed = Parser.parse(original);
        Instrumenter.Result result = Instrumenter.instrument(original, parsed, false);
        WasmModule rewritten = Parser.parse(result.bytes());
        List<OpCode> ops = rewritten.codeSection().getFunctionBody(0).instructions().stream()
                .map(i -> i.opcode()).toList();
        int grow = ops.indexOf(OpCode.MEMORY_GROW);
        assertThat(ops.subList(grow, grow + 4))
                .containsExactly(OpCode.MEMORY_GROW, OpCode.LOCAL_TEE, OpCode.I32_CONST, OpCode.I32_EQ);
    }

    @Test
    void unsupportedFeaturesAreNamed() {
        assertThat(Instrumenter.unsupportedFeature(Parser.parse(Skills.load("json_transform").bytes()))).isNull();
    }

    private static int instructions(WasmModule m) {
        int n = 0;
        for (FunctionBody b : m.codeSection().functionBodies()) {
            n += b.instructions().size();
        }
        return n;
    }

    private static Path samples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("samples/skills/wasm");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("samples/skills/wasm not found");
    }
}
