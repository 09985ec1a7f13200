package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Newline framing: any chunking of the stream gives the same messages; limits hold exactly. */
class FrameReaderProperties {

    /** Delivers the bytes in reads of at most {@code chunk} bytes, as a pipe may. */
    static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static List<String> frames(InputStream in, int max) throws IOException {
        FrameReader r = new FrameReader(in, max);
        List<String> out = new ArrayList<>();
        while (true) {
            FrameReader.Result res = r.next();
            if (res instanceof FrameReader.Frame f) {
                out.add(new String(f.bytes(), StandardCharsets.UTF_8));
            } else if (res instanceof FrameReader.Oversized) {
                out.add("<oversized>");
                return out;
            } else {
                out.add(((FrameReader.End) res).torn() ? "<torn>" : "<end>");
                return out;
            }
        }
    }

    @Property(tries = 200)
    void anyChunkingGivesTheSameMessages(@ForAll @Size(max = 8) List<@StringLength(min = 1, max = 300) String> raw,
                                         @ForAll @IntRange(min = 1, max = 70) int chunk) throws IOException {
        List<String> msgs = raw.stream().map(s -> s.replace('\n', ' ').replace('\r', ' ').trim()).filter(s -> !s.isEmpty()).toList();
        StringBuilder sb = new StringBuilder();
        msgs.forEach(m -> sb.append(m).append(chunk % 2 == 0 ? "\r\n" : "\n").append(chunk % 3 == 0 ? "\n" : ""));
        List<String> expected = new ArrayList<>(msgs);
        expected.add("<end>");
        assertThat(frames(chunked(sb.toString().getBytes(StandardCharsets.UTF_8), chunk), 1 << 20)).isEqualTo(expected);
    }

    @Test
    void aMessageOfExactlyTheLimitPassesAndOneByteMoreIsOversized() throws IOException {
        String ok = "x".repeat(1024);
        assertThat(frames(chunked((ok + "\n" + ok + "\r\n").getBytes(StandardCharsets.UTF_8), 100), 1024))
                .containsExactly(ok, ok, "<end>");
        assertThat(frames(chunked((ok + "y\nnext\n").getBytes(StandardCharsets.UTF_8), 100), 1024))
                .containsExactly("<oversized>");
    }

    @Test
    void anEndInsideAMessageIsTornNotAMessage() throws IOException {
        assertThat(frames(chunked("{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8), 3), 1024))
                .containsExactly("{\"a\":1}", "<torn>");
    }

    @Test
    void anEndlessLineIsCutAtTheLimitWithoutReadingItAll() throws IOException {
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'z';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'z');
                served += len;
                if (served > 10L << 20) {
                    throw new AssertionError("read far past the limit");
                }
                return len;
            }
        };
        assertThat(frames(endless, 4096)).containsExactly("<oversized>");
    }
}
