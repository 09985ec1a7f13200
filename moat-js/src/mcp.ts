/**
 * @moat/core/mcp: a guard for TypeScript MCP servers. A tool handler wrapped by
 * {@link McpGuard.wrap} runs only when the call carries a Moat-signed envelope (in the request's
 * `_meta["moat/envelope"]`) that passes every check of a policy enforcement point
 * (spec/PROTOCOL.md section 10.4): router, authentication, policy, capability; and that signs
 * exactly this call (the tool's resource, the action, and the canonical JSON of the arguments).
 */
import { MoatError, ReasonCode } from "./errors.js";
import { CanonicalJsonError, JsonInput, JsonLimits, DEFAULT_JSON_LIMITS, toolArguments } from "./canonical.js";
import { bytesEqual } from "./json.js";
import {
  AuthenticatedMessage, DEFAULT_MESSAGE_LIMITS, MessageEnvelope, isEndpointName, MessageLimits, MessageSigner, PolicyBinding, policyBindingsEqual,
  verifyMessage,
} from "./message.js";
import { RevocationCheck, NO_REVOCATION, TokenVerifier, VerifiedCapability } from "./verifier.js";

/** Where the envelope travels: the MCP request's `params._meta[ENVELOPE_META_KEY]`, as JSON text. */
export const ENVELOPE_META_KEY = "moat/envelope";

/** A PEP stage, in the order checks run. */
export type Stage = "router" | "authentication" | "policy" | "capability" | "call";

/** The guard's answer for one call. */
export type GuardDecision =
  | { readonly allowed: true; readonly message: AuthenticatedMessage; readonly capability: VerifiedCapability }
  | { readonly allowed: false; readonly stage: Stage; readonly code: ReasonCode; readonly detail: string };

/** Last accepted sequence number per sender. Implementations must be atomic per sender. */
export interface ReplayStore {
  /** Accepts `seq` for `sender` when it is strictly above the last accepted one (and records it). */
  accept(sender: string, seq: bigint, ts: number, now: number): boolean;
}

/**
 * In-memory replay protection for one process: at most `capacity` senders; entries whose last
 * message is too old to pass the time window are evicted first; when still full, new senders are
 * refused (fail closed).
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #last = new Map<string, { seq: bigint; ts: number }>();

  constructor(private readonly windowMs: number, private readonly capacity = 100_000) {}

  accept(sender: string, seq: bigint, ts: number, now: number): boolean {
    const prev = this.#last.get(sender);
    if (prev !== undefined) {
      if (seq <= prev.seq) {
        return false;
      }
      this.#last.set(sender, { seq, ts });
      return true;
    }
    if (this.#last.size >= this.capacity) {
      for (const [k, v] of this.#last) {
        if (v.ts < now - this.windowMs) {
          this.#last.delete(k);
        }
      }
      if (this.#last.size >= this.capacity) {
        throw new MoatError(ReasonCode.INTERNAL, "replay store is full");
      }
    }
    this.#last.set(sender, { seq, ts });
    return true;
  }
}

/** Options of an {@link McpGuard}. */
export interface McpGuardOptions {
  /** This server's name or agent id: the header's `recipient` must equal it. */
  readonly recipient: string;
  /**
   * This guard's own identity as a policy enforcement point: the signed `aud` of every message it
   * accepts (`wrong_audience` otherwise), so an envelope made for another instance sharing the
   * policy is refused there and here. Instances must not share one; signers learn it from the PEP
   * they address. Same grammar as a recipient.
   */
  readonly audience: string;
  /** The active policy binding: a call made under another is refused (`policy_mismatch`). */
  readonly policy: PolicyBinding;
  /** Trusted root issuers of capability chains. */
  readonly trustedRoots: Iterable<string> | ((agentId: string) => boolean);
  /** The action every tool call requests (default `execute`), or one per tool. */
  readonly action?: string | ((tool: string) => string);
  /** The resource of a tool (default `tool://<name>`). */
  readonly resourceFor?: (tool: string) => string;
  /** Registered senders; when given, any other sender is refused (`unknown_sender`). */
  readonly knownSenders?: (agentId: string) => boolean;
  readonly revocation?: RevocationCheck;
  /** Clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /** Oldest accepted message (default 5 minutes). */
  readonly maxAgeMs?: number;
  /** How far in the future a timestamp may lie (default 30 s). */
  readonly maxFutureSkewMs?: number;
  readonly maxDepth?: number;
  readonly limits?: MessageLimits;
  /** Replay protection (default: in memory, this process only). */
  readonly replay?: ReplayStore;
  /** Limits of the arguments' canonical form (default {@link DEFAULT_JSON_LIMITS}). */
  readonly argumentLimits?: JsonLimits;
}

/** The result an MCP tool handler returns; a refusal is reported as a tool error. */
export interface ToolResult {
  content: { type: "text"; text: string }[];
  isError?: boolean;
  [key: string]: unknown;
}

/** The `extra` argument MCP SDK tool handlers receive (only `_meta` is read). */
export interface HandlerExtra {
  readonly _meta?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Verifies Moat-signed MCP tool calls before their handlers run. Fails closed. */
export class McpGuard {
  readonly #o: McpGuardOptions;
  readonly #tokens: TokenVerifier;
  readonly #replay: ReplayStore;
  readonly #now: () => number;
  readonly #maxAge: number;
  readonly #future: number;

  constructor(options: McpGuardOptions) {
    if (!isEndpointName(options.audience)) {
      throw new RangeError("McpGuard needs its audience (its own PEP identity, same grammar as a recipient)");
    }
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#maxAge = options.maxAgeMs ?? 5 * 60_000;
    this.#future = options.maxFutureSkewMs ?? 30_000;
    this.#tokens = new TokenVerifier({
      trustedRoots: options.trustedRoots, now: this.#now, revocation: options.revocation ?? NO_REVOCATION,
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
      limits: (options.limits ?? DEFAULT_MESSAGE_LIMITS).tokens,
    });
    this.#replay = options.replay ?? new MemoryReplayStore(this.#maxAge + this.#future);
  }

  /**
   * Checks one call of `tool` with `args` (the parsed JSON arguments) and the envelope text or
   * bytes. Never throws: every failure, including an unexpected one, is a refusal.
   */
  check(tool: string, args: unknown, envelope: unknown): GuardDecision {
    let stage: Stage = "router";
    try {
      const o = this.#o;
      if (typeof envelope !== "string" && !(envelope instanceof Uint8Array)) {
        throw new MoatError(ReasonCode.MALFORMED, `no Moat envelope in _meta["${ENVELOPE_META_KEY}"]`);
      }
      const limits = o.limits ?? DEFAULT_MESSAGE_LIMITS;
      const env = MessageEnvelope.parse(envelope, limits);
      const peek = env.peekHeader();
      const now = this.#now();
      if (peek.ts < now - this.#maxAge || peek.ts > now + this.#future) {
        throw new MoatError(ReasonCode.STALE, "message timestamp outside the accepted window");
      }
      if (peek.recipient !== o.recipient) {
        throw new MoatError(ReasonCode.UNKNOWN_RECIPIENT, `message is for ${peek.recipient}`);
      }
      if (peek.audience !== o.audience) {
        throw new MoatError(ReasonCode.WRONG_AUDIENCE, `message is for the enforcement point ${peek.audience}, this is ${o.audience}`);
      }
      stage = "authentication";
      const m = verifyMessage(env, { limits, checkSubject: false });
      if (o.knownSenders !== undefined && !o.knownSenders(m.sender)) {
        throw new MoatError(ReasonCode.UNKNOWN_SENDER, `sender ${m.sender} is not registered`);
      }
      if ((o.revocation ?? NO_REVOCATION).isAgentRevoked(m.sender)) {
        throw new MoatError(ReasonCode.REVOKED, `sender ${m.sender} is revoked`);
      }
      if (!this.#replay.accept(m.sender, m.seq, m.ts, now)) {
        throw new MoatError(ReasonCode.REPLAY, `sequence ${m.seq} is not above the last accepted`);
      }
      stage = "policy";
      if (!policyBindingsEqual(m.policy, o.policy)) {
        throw new MoatError(ReasonCode.POLICY_MISMATCH, `message is bound to policy ${m.policy.id}`);
      }
      stage = "capability";
      const cap = this.#tokens.verify(m.chain);
      if (cap.subject !== m.sender) {
        throw new MoatError(ReasonCode.NOT_SUBJECT, `sender ${m.sender} is not the subject of the leaf token`);
      }
      const denied = cap.evaluate(m.resource, m.action);
      if (denied !== null) {
        throw new MoatError(denied, `${m.action} on ${m.resource} is refused`);
      }
      stage = "call";
      const resource = (o.resourceFor ?? ((t: string) => `tool://${t}`))(tool);
      const action = typeof o.action === "function" ? o.action(tool) : o.action ?? "execute";
      if (m.resource !== resource || m.action !== action) {
        throw new MoatError(ReasonCode.NOT_GRANTED, `the signed call is for ${m.action} on ${m.resource}, not ${action} on ${resource}`);
      }
      let expected: Uint8Array;
      try {
        expected = toolArguments(args as JsonInput | undefined, o.argumentLimits ?? DEFAULT_JSON_LIMITS);
      } catch (e) {
        if (e instanceof CanonicalJsonError) {
          throw new MoatError(ReasonCode.ARGUMENT_REJECTED, `arguments have no canonical form: ${e.problem}`);
        }
        throw e;
      }
      if (!bytesEqual(expected, m.body)) {
        throw new MoatError(ReasonCode.ARGUMENT_REJECTED, "arguments differ from the signed body");
      }
      return Object.freeze({ allowed: true as const, message: m, capability: cap });
    } catch (e) {
      const err = e instanceof MoatError ? e : new MoatError(ReasonCode.INTERNAL, "guard failed");
      return Object.freeze({ allowed: false as const, stage, code: err.code, detail: err.message });
    }
  }

  /**
   * Wraps an MCP SDK tool handler `(args, extra) => result`: the handler runs only for an allowed
   * call and receives the decision as `extra.moat`; a refused call returns a tool error result
   * naming the stage and reason code, and the handler does not run.
   */
  wrap<A, R>(tool: string, handler: (args: A, extra: HandlerExtra & { moat: GuardDecision & { allowed: true } }) => R | Promise<R>):
      (args: A, extra?: HandlerExtra) => Promise<R | ToolResult> {
    return async (args: A, extra?: HandlerExtra) => {
      const decision = this.check(tool, args, extra?._meta?.[ENVELOPE_META_KEY]);
      if (!decision.allowed) {
        return { isError: true, content: [{ type: "text", text: `denied by Moat at ${decision.stage}: ${decision.code}` }] };
      }
      return handler(args, { ...(extra ?? {}), moat: decision });
    };
  }
}

/**
 * Client side: signs a call of `tool` with `args` and returns the `_meta` to send with it
 * (`{"moat/envelope": "<envelope JSON>"}`). The signed body is `toolArguments(args)`: the
 * arguments as sent (an object), or JSON text canonicalised with its numbers as written. Throws
 * a `CanonicalJsonError` for arguments with no canonical form.
 */
export function signToolCall(
  signer: MessageSigner, recipient: string, tool: string, args: JsonInput | string | Uint8Array | undefined, policy: PolicyBinding,
  options: { action?: string; resource?: string; limits?: JsonLimits } = {},
): Record<string, string> {
  const body = toolArguments(args, options.limits ?? DEFAULT_JSON_LIMITS);
  const env = signer.sign(recipient, options.resource ?? `tool://${tool}`, options.action ?? "execute", body, policy);
  return { [ENVELOPE_META_KEY]: env.toJson() };
}
