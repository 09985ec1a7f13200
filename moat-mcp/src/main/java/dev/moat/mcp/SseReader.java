package dev.moat.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} body (Server-Sent Events) and hands each event's data, one
 * JSON-RPC message per event as Streamable HTTP sends them, to {@code sink}. Lines are bounded by
 * the message limit; an event's {@code data:} lines are joined with {@code '\n'} as the SSE format
 * says; events with other types than {@code message} (or none) are ignored; comments are skipped.
 */
final class SseReader {
    /** An event over the limit. */
    static final class OversizedEvent extends IOException {
        private static final long serialVersionUID = 1L;

        OversizedEvent(int limit) {
            super("an event over the " + limit + "-byte limit");
        }
    }

    private SseReader() {}

    static void read(InputStream body, int maxBytes, Consumer<byte[]> sink) throws IOException {
        FrameReader lines = new FrameReader(body, maxBytes);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String event = null;
        boolean any = false;
        while (true) {
            FrameReader.Result r = lines.nextRaw();
            if (r instanceof FrameReader.Oversized o) {
                throw new OversizedEvent(o.limit());
            }
            if (r instanceof FrameReader.End) {
                return; // an unterminated event is dropped, as the SSE format says
            }
            byte[] line = ((FrameReader.Frame) r).bytes();
            if (line.length == 0) {
                if (any && (event == null || event.equals("message"))) {
                    sink.accept(data.toByteArray());
                }
                data.reset();
                event = null;
                any = false;
                continue;
            }
            String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
            if (text.startsWith(":")) {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1).startsWith(" ") ? text.substring(colon + 2) : text.substring(colon + 1);
            if (field.equals("data")) {
                if (any) {
                    data.write('\n');
                }
                data.writeBytes(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                any = true;
                if (data.size() > maxBytes) {
                    throw new OversizedEvent(maxBytes);
                }
            } else if (field.equals("event")) {
                event = value;
            }
        }
    }
}
