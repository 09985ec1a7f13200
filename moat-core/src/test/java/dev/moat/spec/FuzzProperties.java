package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.Checked;
import dev.moat.message.MessageEnvelope;
import dev.moat.token.TokenChain;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random, JSON-shaped and mutated bytes into every public decoder and verifier: each returns a
 * {@link Checked} (never throws) and never accepts garbage.
 */
class FuzzProperties {
    static final byte[] CHAIN = TamperProperties.CHAIN_WIRE;
    static final byte[] MESSAGE = TamperProperties.MESSAGE_WIRE;
    static final List<String> TOKENS = List.of("{", "}", "[", "]", ":", ",", "\"v\"", "1", "2", "-1", "0.5", "null", "true",
            "\"chain\"", "\"key\"", "\"payload\"", "\"sig\"", "\"msg\"", "\"body\"", "\"AAAA\"", "\"\"", "\"\\u0000\"",
            "1e999", "99999999999999999999999", "\"\\ud800\"", " ");

    /** Calls every entry point; returns true if any accepted the input. */
    static boolean anyAccepts(byte[] input) {
        Checked<?> a = TokenChain.parse(input);
        Checked<?> b = TamperProperties.TOKENS.verify(input);
        Checked<?> c = MessageEnvelope.parse(input);
        Checked<?> d = TamperProperties.MESSAGES.verify(input);
        assertThat(List.of(a, b, c, d)).doesNotContainNull();
        return b.isOk() || d.isOk() || (a.isOk() && c.isOk());
    }

    @Property(tries = 1000)
    void randomBytesAreRefused(@ForAll @Size(max = 2048) byte[] input) {
        assertThat(anyAccepts(input)).isFalse();
    }

    @Provide
    Arbitrary<byte[]> jsonish() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(60).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void jsonShapedGarbageIsRefused(@ForAll("jsonish") byte[] input) {
        assertThat(anyAccepts(input)).isFalse();
    }

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(3).ofMaxSize(24);
    }

    /** Applies edits (triples of kind, position, byte) to {@code wire}: replace, insert or delete. */
    static byte[] mutate(byte[] wire, int[] edits) {
        byte[] b = wire;
        for (int i = 0; i + 2 < edits.length; i += 3) {
            int pos = edits[i + 1] % (b.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, 0, pos);
            switch (edits[i] % 3) {
                case 0 -> {
                    out.write(edits[i + 2]);
                    out.write(b, Math.min(pos + 1, b.length), b.length - Math.min(pos + 1, b.length));
                }
                case 1 -> {
                    out.write(edits[i + 2]);
                    out.write(b, pos, b.length - pos);
                }
                default -> out.write(b, Math.min(pos + 1, b.length), b.length - Math.min(pos + 1, b.length));
            }
            b = out.toByteArray();
        }
        return b;
    }

    @Property(tries = 1000)
    void mutatedChainsNeverThrowAndNeverVerify(@ForAll("edits") int[] edits) {
        byte[] input = mutate(CHAIN, edits);
        TokenChain.parse(input);
        MessageEnvelope.parse(input);
        assertThat(TamperProperties.TOKENS.verify(input).isOk()).isEqualTo(Arrays.equals(input, CHAIN));
        assertThat(TamperProperties.MESSAGES.verify(input).isOk()).isFalse();
    }

    @Property(tries = 1000)
    void mutatedMessagesNeverThrowAndNeverVerify(@ForAll("edits") int[] edits) {
        byte[] input = mutate(MESSAGE, edits);
        TokenChain.parse(input);
        MessageEnvelope.parse(input);
        assertThat(TamperProperties.MESSAGES.verify(input).isOk()).isEqualTo(Arrays.equals(input, MESSAGE));
        assertThat(TamperProperties.TOKENS.verify(input).isOk()).isFalse();
    }
}
