package dev.moat.sandbox;

import java.net.URI;
import java.util.Map;

/**
 * Extension point for guest HTTP egress, called only after the token's host allow-list has
 * accepted the request. A secret proxy implements it to add headers (for example an
 * {@code Authorization} value resolved from a handle) that the guest never sees.
 */
@FunctionalInterface
public interface EgressDecorator {
    /** Adds nothing. */
    EgressDecorator NONE = (method, target) -> Map.of();

    /**
     * Headers to add to an allowed request; they override guest headers of the same name. Throwing
     * refuses the request: nothing is sent and the guest gets an error code.
     */
    Map<String, String> extraHeaders(String method, URI target);
}
