package dev.moat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON for {@code --json} output and the home's small state files. */
public final class Json {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** One line, for {@code --json} on stdout. */
    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON output", e);
        }
    }

    /** Indented, with a final newline, for files people may read. */
    public static byte[] pretty(Object value) {
        try {
            return (PRETTY.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** Parses {@code bytes}; throws {@link IOException} when they are not JSON. */
    public static JsonNode parse(byte[] bytes) throws IOException {
        return COMPACT.readTree(bytes);
    }

    /** Reads a JSON file of at most {@code maxBytes}; {@code null} when it does not exist. */
    public static JsonNode readFileOrNull(Path file, long maxBytes) {
        try {
            return parse(dev.moat.internal.BoundedFiles.read(file, (int) Math.min(Integer.MAX_VALUE - 8, maxBytes)));
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw CliException.denied("malformed", e.getMessage());
        } catch (NoSuchFileException e) {
            return null;
        } catch (JsonProcessingException e) {
            throw CliException.denied("malformed", file + " is not valid JSON");
        } catch (IOException e) {
            throw CliException.io("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
