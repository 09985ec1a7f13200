package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.MoatException;
import dev.moat.audit.AuditEvent;
import dev.moat.guard.Guard;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.token.CapabilityToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A guarding MCP proxy for one client and one server. Messages are relayed unchanged except the
 * ones Moat guards: a client's {@code tools/call} (through the {@link Guard}, see
 * {@link ToolCallGuard}), the server's {@code tools/list} results (pinned and filtered, see
 * {@link ToolCatalog}) and requests the server sends the client (see {@link ServerRequests}).
 *
 * <p>Failure handling: an unreadable client message is answered with a JSON-RPC error; a message
 * over the size limit from either side, an unreadable server message, or the server's exit ends
 * the session cleanly: every open request is answered with an error and its outcome audited, the
 * server is stopped (bounded waits), the client's stream is closed. A request the server leaves
 * unanswered past the call timeout is answered with an error and cancelled upstream.
 */
public final class McpProxy {
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Guard guard;
    private final String agent;
    private final String server;
    private final McpLimits limits;
    private final PrintStream log;
    private final String agentId;
    private final ToolCatalog catalog;
    private final ToolCallGuard calls;
    private final ServerRequests serverRequests;
    private final Outcomes outcomes;
    private final ServerResponses responses;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile FrameWriter client;
    private volatile Upstream upstream;
    private volatile boolean clientGone;
    private volatile boolean stopping;
    private volatile int exitCode;

    private McpProxy(Builder b) {
        this.guard = b.guard;
        this.agent = b.agent;
        this.server = b.server;
        this.limits = b.limits;
        this.log = b.log;
        CapabilityToken leaf = guard.capability(agent)
                .orElseThrow(() -> new MoatException("no identity and capability loaded for agent '" + agent + "'"))
                .leafClaims().orThrow();
        this.agentId = leaf.subject().value();
        ToolRules rules = b.rules;
        this.catalog = new ToolCatalog(server, b.pins, tool -> {
            ToolPolicy policy = ToolCallGuard.policy(rules, server, tool);
            return leaf.evaluate(policy.resource(), policy.action()) == null;
        }, new ToolCatalog.Alerts() {
            @Override
            public void refusedDefinition(String tool, PinStatus status) {
                McpProxy.this.refusedDefinition(tool, status);
            }

            @Override
            public void misconfigured(String tool, String reason) {
                guard.audit().append(new AuditEvent.MonitorAlert(agentId, "mcp-tool-rules", AuditEvent.MonitorAlert.Action.BLOCK,
                        "mcp server '" + server + "' tool '" + tool + "': " + reason));
                log("tool '" + tool + "' of server '" + server + "': " + reason);
            }
        }, tool -> ToolCallGuard.policy(rules, server, tool));
        this.calls = new ToolCallGuard(guard, agent, agentId, server, catalog, rules);
        this.serverRequests = new ServerRequests(guard, agent, server);
        this.outcomes = new Outcomes(guard, this::log);
        this.responses = new ServerResponses(catalog, serverRequests, outcomes, this::log);
    }

    /** {@code server} names the server in resources and in the lock file (letters, digits, {@code _ . -}). */
    public static Builder builder(Guard guard, String agent, String server) {
        return new Builder(guard, agent, server);
    }

    /**
     * Relays between the client ({@code clientIn}/{@code clientOut}, newline-delimited JSON-RPC) and
     * {@code upstream} until either side ends. Returns 0 when the client ended the session, 1 when
     * the server or a protocol violation did.
     */
    public int run(InputStream clientIn, OutputStream clientOut, Upstream upstream) throws IOException {
        this.client = new FrameWriter(clientOut);
        this.upstream = upstream;
        upstream.start(new Upstream.Listener() {
            @Override
            public void onMessage(byte[] frame) {
                onServerMessage(frame);
            }

            @Override
            public void onClosed(String reason) {
                if (!clientGone) {
                    stop("the MCP server '" + server + "' stopped: " + reason, 1);
                } else {
                    stop("session ended", exitCode);
                }
            }
        }, limits);
        Thread reader = new Thread(() -> readClient(clientIn), "moat-mcp-client-reader");
        reader.setDaemon(true);
        reader.start();
        Thread watchdog = new Thread(this::watch, "moat-mcp-timeouts");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted", 1);
        }
        return exitCode;
    }

    private void readClient(InputStream in) {
        FrameReader frames = new FrameReader(in, limits.maxMessageBytes());
        try {
            while (!stopping) {
                FrameReader.Result r = frames.next();
                if (r instanceof FrameReader.Frame f) {
                    onClientMessage(f.bytes());
                } else if (r instanceof FrameReader.Oversized o) {
                    toClient(JsonRpc.error(null, JsonRpc.INVALID_REQUEST,
                            "Invalid Request: message over the proxy's " + o.limit() + "-byte limit; the session ends"));
                    stop("the client sent a message over the " + o.limit() + "-byte limit", 1);
                    return;
                } else {
                    break;
                }
            }
        } catch (IOException e) {
            // the client's stream broke: same as the client going away
        }
        clientClosed();
    }

    void onClientMessage(byte[] frame) {
        JsonRpcMessage m = JsonRpc.parse(frame);
        if (m instanceof JsonRpcMessage.Invalid bad) {
            toClient(JsonRpc.error(bad.id(), bad.code(), bad.reason()));
        } else if (m instanceof JsonRpcMessage.Request req) {
            onClientRequest(req, frame);
        } else if (m instanceof JsonRpcMessage.Notification n) {
            if (n.method().equals("tools/call")) {
                log("dropped a tools/call sent as a notification (no id): it is never forwarded");
                return;
            }
            if (n.method().equals("notifications/cancelled")) {
                cancelled(n);
            }
            toServer(frame);
        } else {
            toServer(frame); // the client's answer to a request the server sent
        }
    }

    private void onClientRequest(JsonRpcMessage.Request req, byte[] frame) {
        String key = JsonRpcMessage.idKey(req.id());
        long now = System.nanoTime();
        if (req.method().equals("tools/call")) {
            if (pending.containsKey(key)) {
                toClient(JsonRpc.error(req.id(), JsonRpc.INVALID_REQUEST, "Invalid Request: id already in flight"));
                return;
            }
            ToolCallGuard.Verdict v = calls.decide(req, frame);
            if (v instanceof ToolCallGuard.Verdict.Answer a) {
                toClient(a.frame());
                return;
            }
            ToolCallGuard.Verdict.Forward f = (ToolCallGuard.Verdict.Forward) v;
            Pending p = new Pending.ToolCall(req.id(), f.tool(), f.allow(), now);
            if (pending.putIfAbsent(key, p) != null) {
                outcomes.record(p, AuditEvent.ToolOutcome.Status.ERROR, null, "DuplicateRequestId");
                toClient(JsonRpc.error(req.id(), JsonRpc.INVALID_REQUEST, "Invalid Request: id already in flight"));
                return;
            }
            send(key, f.frame());
            return;
        }
        Pending p = req.method().equals("tools/list") ? new Pending.ToolList(req.id(), now)
                : new Pending.Other(req.id(), req.method(), now);
        if (pending.putIfAbsent(key, p) != null) {
            toClient(JsonRpc.error(req.id(), JsonRpc.INVALID_REQUEST, "Invalid Request: id already in flight"));
            return;
        }
        send(key, frame);
    }

    private void send(String key, byte[] frame) {
        try {
            upstream.send(frame);
        } catch (IOException e) {
            Pending p = pending.remove(key);
            if (p != null) {
                fail(p, "the MCP server '" + server + "' is not reachable", "UpstreamUnavailable");
            }
        }
    }

    private void cancelled(JsonRpcMessage.Notification n) {
        JsonNode params = n.tree().get("params");
        JsonNode requestId = params == null ? null : params.get("requestId");
        if (requestId != null) {
            Pending p = pending.remove(JsonRpcMessage.idKey(requestId));
            if (p != null) {
                outcomes.record(p, AuditEvent.ToolOutcome.Status.ERROR, null, "Cancelled");
            }
        }
    }

    void onServerMessage(byte[] frame) {
        JsonRpcMessage m = JsonRpc.parse(frame);
        if (m instanceof JsonRpcMessage.Response r) {
            onServerResponse(r, frame);
        } else if (m instanceof JsonRpcMessage.Request req) {
            byte[] refusal = serverRequests.refusal(req, frame);
            if (refusal == null) {
                toClient(frame);
            } else {
                toServer(refusal);
            }
        } else if (m instanceof JsonRpcMessage.Notification n) {
            if (n.method().equals("notifications/tools/list_changed")) {
                catalog.listChanged();
            }
            toClient(frame);
        } else {
            stop("the MCP server '" + server + "' sent an unreadable message (" + ((JsonRpcMessage.Invalid) m).reason() + ")", 1);
        }
    }

    private void onServerResponse(JsonRpcMessage.Response r, byte[] frame) {
        Pending p = r.id() == null || r.id().isNull() ? null : pending.remove(JsonRpcMessage.idKey(r.id()));
        if (p == null) {
            log("dropped a server response to no open request (late, cancelled or unknown id)");
            return;
        }
        toClient(responses.answer(p, r, frame));
    }

    private void refusedDefinition(String tool, PinStatus status) {
        String what = status == PinStatus.CHANGED ? "changed its definition" : status == PinStatus.NEW ? "is new" : "cannot be pinned";
        String detail = "mcp server '" + server + "' tool '" + tool + "' " + what + "; refused until approved";
        guard.audit().append(new AuditEvent.MonitorAlert(agentId, "mcp-tool-pin", AuditEvent.MonitorAlert.Action.BLOCK, detail));
        log("tool '" + tool + "' of server '" + server + "' " + what + ": it is hidden and refused"
                + (status == PinStatus.UNPINNABLE ? "" : " until `moat mcp approve --server " + server + " --tool " + tool + "`"));
    }

    private void fail(Pending p, String message, String errorType) {
        outcomes.record(p, AuditEvent.ToolOutcome.Status.ERROR, null, errorType);
        toClient(JsonRpc.error(p.id(), JsonRpc.UPSTREAM_ERROR, message));
    }

    private void watch() {
        long tick = Math.max(20, Math.min(1000, limits.callTimeout().toMillis() / 4));
        while (!stopping) {
            try {
                if (done.await(tick, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                Pending p = e.getValue();
                if (now - p.startNanos() > limits.callTimeout().toNanos() && pending.remove(e.getKey(), p)) {
                    fail(p, "the MCP server '" + server + "' did not answer " + p.method() + " within "
                            + limits.callTimeout().toSeconds() + " s", "Timeout");
                    ObjectNode cancel = JsonRpc.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/cancelled");
                    cancel.putObject("params").put("reason", "timeout (Moat proxy)").set("requestId", p.id());
                    toServer(JsonRpc.write(cancel));
                }
            }
        }
    }

    private void clientClosed() {
        clientGone = true;
        if (stopping) {
            return;
        }
        upstream.endInput();
        long deadline = System.nanoTime() + limits.shutdownGrace().toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline && !stopping) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        stop("the client closed the session", 0);
    }

    private void stop(String reason, int code) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            exitCode = code;
        }
        if (code != 0) {
            log(reason);
        }
        for (String key : pending.keySet()) {
            Pending p = pending.remove(key);
            if (p != null) {
                fail(p, reason, clientGone ? "ClientDisconnected" : "UpstreamClosed");
            }
        }
        try {
            upstream.close(limits.shutdownGrace());
        } finally {
            client.close();
            done.countDown();
        }
    }

    private void toClient(byte[] frame) {
        if (clientGone) {
            return;
        }
        try {
            client.write(frame);
        } catch (IOException e) {
            clientGone = true;
        }
    }

    private void toServer(byte[] frame) {
        try {
            upstream.send(frame);
        } catch (IOException e) {
            // the server is gone; its reader reports that and the session stops
        }
    }

    private void log(String message) {
        log.println("moat mcp: " + message);
        log.flush();
    }

    /** Builder: guard, agent and server name are required. */
    public static final class Builder {
        private final Guard guard;
        private final String agent;
        private final String server;
        private ToolPins pins;
        private McpLimits limits = McpLimits.DEFAULTS;
        private PrintStream log = System.err;
        private ToolRules rules = ToolRules.empty();

        private Builder(Guard guard, String agent, String server) {
            this.guard = Objects.requireNonNull(guard, "guard");
            this.agent = Objects.requireNonNull(agent, "agent");
            this.server = Objects.requireNonNull(server, "server");
            if (!SERVER_NAME.matcher(server).matches()) {
                throw new MoatException("server name '" + server + "' must be 1-64 letters, digits, '_', '.' or '-'");
            }
        }

        /** The tool-definition lock file (required). */
        public Builder pins(ToolPins pins) {
            this.pins = Objects.requireNonNull(pins, "pins");
            return this;
        }

        public Builder limits(McpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The policy file's {@code tools:} section ({@code moat.toolRules()}): entries named
         * {@code mcp/<server>/<tool>} (or globs such as {@code mcp/<server>/*}) give this server's
         * tools their resource, action and argument rules. A tool no entry names gets the safe
         * default: resource {@code tool://mcp/<server>/<tool>}, action {@code execute}, no argument rules.
         */
        public Builder rules(ToolRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Where operator messages go (default stderr; never stdout, which carries the protocol). */
        public Builder log(PrintStream log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public McpProxy build() {
            if (pins == null) {
                throw new MoatException("an MCP proxy needs a tool lock file: pins(ToolPins.inHome(home))");
            }
            return new McpProxy(this);
        }
    }
}
