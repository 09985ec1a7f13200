package dev.moat.secrets;

import java.util.List;
import java.util.Map;

/**
 * An HTTP response as a tool may return it to a model: status, headers and body (UTF-8), with
 * every declared secret value redacted.
 */
public record RedactedResponse(int statusCode, Map<String, List<String>> headers, String body) {
    public RedactedResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }
}
