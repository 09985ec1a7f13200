import { encodeBase64Url, tryDecodeBase64Url } from "./base64url.js";
import { Domain, constantTimeEqual, domainHash, publicKeyObject, randomBytes, verifyFramed } from "./crypto.js";
import { MoatError, ReasonCode, malformed } from "./errors.js";
import { Fields } from "./fields.js";
import { Keypair, agentIdMatches, isAgentId } from "./identity.js";
import { bytesEqual, canonicalJsonBytes, parseJsonObject, utf8 } from "./json.js";
import { DEFAULT_TOKEN_LIMITS, TokenChain, TokenClaims, TokenLimits } from "./token.js";
import { formatTime } from "./time.js";

/** Largest header (the signed part of a message). */
export const MAX_HEADER_BYTES = 8 * 1024;

/** Size limits for untrusted messages (spec/PROTOCOL.md section 12). */
export interface MessageLimits {
  readonly maxBodyBytes: number;
  readonly maxEnvelopeBytes: number;
  readonly tokens: TokenLimits;
}

/** 1 MiB body, 3 MiB envelope, default chain limits. */
export const DEFAULT_MESSAGE_LIMITS: MessageLimits = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxEnvelopeBytes: 3 * 1024 * 1024,
  tokens: DEFAULT_TOKEN_LIMITS,
});

/** Names the policy a message was made under: its id and `hash("moat/v1/policy", policy bytes)`. */
export interface PolicyBinding {
  readonly id: string;
  readonly sha256: Uint8Array;
}

const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RECIPIENT = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const ACTION = /^[a-z][a-z0-9_.-]{0,63}$/;

/** True when `s` is a valid recipient or audience (`[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}`). */
export function isEndpointName(s: unknown): s is string {
  return typeof s === "string" && RECIPIENT.test(s);
}

/** Binds to the exact bytes of a policy document under `id`. */
export function policyBinding(id: string, policyBytes: Uint8Array): PolicyBinding {
  if (!POLICY_ID.test(id)) {
    throw new RangeError("invalid policy id (1-128 of A-Z a-z 0-9 . _ : -)");
  }
  return Object.freeze({ id, sha256: domainHash(Domain.POLICY, policyBytes) });
}

/** Constant-time equality of two bindings. */
export function policyBindingsEqual(a: PolicyBinding, b: PolicyBinding): boolean {
  return a.id === b.id && constantTimeEqual(a.sha256, b.sha256);
}

/** The signed header of a message (spec/PROTOCOL.md section 10.1). */
export interface MessageHeader {
  readonly id: string;
  readonly sender: string;
  readonly recipient: string;
  /** The audience (`aud`): the identity of the one policy enforcement point that may accept the message. */
  readonly audience: string;
  readonly resource: string;
  readonly action: string;
  readonly bodySha256: Uint8Array;
  readonly chainSha256: Uint8Array;
  readonly policy: PolicyBinding;
  /** Sender sequence number (int64). */
  readonly seq: bigint;
  /** Time of signing, epoch ms. */
  readonly ts: number;
}

function checkHeader(h: MessageHeader): MessageHeader {
  if (!RECIPIENT.test(h.recipient)) {
    throw new RangeError("invalid recipient");
  }
  if (!RECIPIENT.test(h.audience)) {
    throw new RangeError("invalid audience");
  }
  if (h.resource.length === 0 || h.resource.length > 1024) {
    throw new RangeError("invalid resource");
  }
  if (!ACTION.test(h.action)) {
    throw new RangeError("invalid action");
  }
  if (h.bodySha256.length !== 32 || h.chainSha256.length !== 32) {
    throw new RangeError("digests must be 32 bytes");
  }
  if (h.seq < 0n || h.seq > 2n ** 63n - 1n) {
    throw new RangeError("sequence must not be negative");
  }
  if (!POLICY_ID.test(h.policy.id) || h.policy.sha256.length !== 32) {
    throw new RangeError("invalid policy binding");
  }
  return Object.freeze({ ...h });
}

/** The canonical header bytes. */
export function encodeHeader(h: MessageHeader): Uint8Array {
  return canonicalJsonBytes({
    v: 1,
    id: h.id,
    sender: h.sender,
    recipient: h.recipient,
    aud: h.audience,
    resource: h.resource,
    action: h.action,
    body_sha256: encodeBase64Url(h.bodySha256),
    chain_sha256: encodeBase64Url(h.chainSha256),
    policy: { id: h.policy.id, sha256: encodeBase64Url(h.policy.sha256) },
    seq: h.seq,
    ts: formatTime(h.ts),
  });
}

const HEADER_FIELDS = new Set(["v", "id", "sender", "recipient", "aud", "resource", "action", "body_sha256", "chain_sha256", "policy", "seq", "ts"]);
const POLICY_FIELDS = new Set(["id", "sha256"]);
const ENVELOPE_FIELDS = new Set(["v", "key", "msg", "sig", "body", "chain"]);

/** Decodes header bytes strictly (`MessageHeader.decode`); throws MoatError. */
export function decodeHeader(bytes: Uint8Array): MessageHeader {
  const node = parseJsonObject(bytes, MAX_HEADER_BYTES, "message header");
  const f = Fields.of(node, "message header", HEADER_FIELDS);
  if (f.integer("v") !== 1n) {
    throw malformed("message header: unsupported version");
  }
  let h: MessageHeader;
  try {
    const p = Fields.of(f.value("policy"), "policy binding", POLICY_FIELDS);
    const id = f.string("id");
    const idBytes = tryDecodeBase64Url(id);
    if (idBytes === null) {
      throw new RangeError("base64url: invalid");
    }
    if (idBytes.length !== 16) {
      throw malformed("message header: id must be 16 bytes");
    }
    const sender = f.string("sender");
    if (!isAgentId(sender)) {
      throw new RangeError("not an agent id");
    }
    const recipient = f.string("recipient");
    const audience = f.string("aud");
    const resource = f.string("resource");
    const action = f.string("action");
    const bodySha256 = f.bytes("body_sha256", 32);
    const chainSha256 = f.bytes("chain_sha256", 32);
    const policyId = p.string("id");
    const policySha = p.bytes("sha256", 32);
    if (!POLICY_ID.test(policyId)) {
      throw new RangeError("invalid policy id");
    }
    const seq = f.integer("seq");
    const ts = f.time("ts");
    h = checkHeader({ id, sender, recipient, audience, resource, action, bodySha256, chainSha256, policy: { id: policyId, sha256: policySha }, seq, ts });
  } catch (e) {
    if (e instanceof RangeError) {
      throw malformed(`message header: ${e.message}`);
    }
    throw e;
  }
  if (!bytesEqual(encodeHeader(h), bytes)) {
    throw malformed("message header: not in canonical form");
  }
  return h;
}

/**
 * A message as it travels, not yet verified: sender key, exact header bytes, signature, body and
 * the token chain. Wire form `{"body","chain":{...},"key","msg","sig","v":1}` (canonical JSON).
 */
export class MessageEnvelope {
  #header: MessageHeader | MoatError | undefined;

  /** @internal */
  constructor(
    readonly key: Uint8Array,
    readonly header: Uint8Array,
    readonly signature: Uint8Array,
    readonly body: Uint8Array,
    readonly chain: TokenChain,
  ) {}

  /** Parses the wire form (spec/PROTOCOL.md section 10.2). Form only. Throws MoatError. */
  static parse(wire: Uint8Array | string, limits: MessageLimits = DEFAULT_MESSAGE_LIMITS): MessageEnvelope {
    const bytes = typeof wire === "string" ? utf8(wire) : wire;
    try {
      const node = parseJsonObject(bytes, limits.maxEnvelopeBytes, "message");
      const f = Fields.of(node, "message", ENVELOPE_FIELDS);
      if (f.integer("v") !== 1n) {
        throw malformed("message: unsupported version");
      }
      const key = f.bytes("key", -1);
      const header = f.bytes("msg", -1);
      const sig = f.bytes("sig", -1);
      const body = f.bytes("body", -1);
      if (header.length > MAX_HEADER_BYTES) {
        throw new MoatError(ReasonCode.OVERSIZED, `message header exceeds ${MAX_HEADER_BYTES} bytes`);
      }
      if (body.length > limits.maxBodyBytes) {
        throw new MoatError(ReasonCode.OVERSIZED, `message body exceeds ${limits.maxBodyBytes} bytes`);
      }
      const chain = TokenChain.fromJson(f.value("chain"), limits.tokens);
      const env = new MessageEnvelope(key, header, sig, body, chain);
      if (!bytesEqual(env.encode(), bytes)) {
        throw malformed("message: not in canonical form");
      }
      return env;
    } catch (e) {
      if (e instanceof MoatError) {
        throw e;
      }
      throw malformed(`message: ${e instanceof Error ? e.name : "error"}`);
    }
  }

  /** The canonical wire bytes. */
  encode(): Uint8Array {
    const head = utf8(`{"body":"${encodeBase64Url(this.body)}","chain":`);
    const chain = this.chain.encoded();
    const tail = utf8(`,"key":"${encodeBase64Url(this.key)}","msg":"${encodeBase64Url(this.header)}","sig":"${encodeBase64Url(this.signature)}","v":1}`);
    const out = new Uint8Array(head.length + chain.length + tail.length);
    out.set(head);
    out.set(chain, head.length);
    out.set(tail, head.length + chain.length);
    return out;
  }

  /** The wire form as text. */
  toJson(): string {
    return new TextDecoder().decode(this.encode());
  }

  /**
   * Decodes the header without checking the signature, for cheap pre-checks that may only
   * reject (size, time window, recipient). Throws MoatError.
   */
  peekHeader(): MessageHeader {
    if (this.#header === undefined) {
      try {
        this.#header = decodeHeader(this.header);
      } catch (e) {
        this.#header = e instanceof MoatError ? e : malformed("message header: undecodable");
      }
    }
    if (this.#header instanceof MoatError) {
      throw this.#header;
    }
    return this.#header;
  }

  toString(): string {
    return `MessageEnvelope[header=${this.header.length} bytes, body=${this.body.length} bytes]`;
  }
}

/**
 * A message whose signature, sender key, digests and proof of possession were checked by
 * {@link verifyMessage}. Exposes what replay, time-window, recipient and policy checks need.
 */
export interface AuthenticatedMessage {
  readonly header: MessageHeader;
  readonly envelope: MessageEnvelope;
  readonly id: string;
  readonly sender: string;
  readonly recipient: string;
  /** The identity of the policy enforcement point this message is for. */
  readonly audience: string;
  readonly resource: string;
  readonly action: string;
  readonly seq: bigint;
  /** Epoch ms. */
  readonly ts: number;
  readonly policy: PolicyBinding;
  readonly chain: TokenChain;
  readonly body: Uint8Array;
}

/** Options of {@link verifyMessage}. */
export interface MessageVerifyOptions {
  readonly limits?: MessageLimits;
  /**
   * When false the proof-of-possession check (sender = leaf subject) is left to the caller, who
   * must make it against the verified chain. Default true.
   */
  readonly checkSubject?: boolean;
}

/**
 * Verifies a message's own integrity in moat-core's order (spec/PROTOCOL.md section 10.3).
 * Does not verify the carried chain's signatures or trust: do that with a TokenVerifier.
 * Throws MoatError.
 */
export function verifyMessage(wire: Uint8Array | string | MessageEnvelope, options: MessageVerifyOptions = {}): AuthenticatedMessage {
  const limits = options.limits ?? DEFAULT_MESSAGE_LIMITS;
  const env = wire instanceof MessageEnvelope ? wire : MessageEnvelope.parse(wire, limits);
  try {
    return check(env, limits, options.checkSubject ?? true);
  } catch (e) {
    if (e instanceof MoatError) {
      throw e;
    }
    throw new MoatError(ReasonCode.INTERNAL, `message verification failed: ${e instanceof Error ? e.name : "error"}`);
  }
}

function check(env: MessageEnvelope, limits: MessageLimits, checkSubject: boolean): AuthenticatedMessage {
  if (env.body.length > limits.maxBodyBytes) {
    throw new MoatError(ReasonCode.OVERSIZED, `message body exceeds ${limits.maxBodyBytes} bytes`);
  }
  if (publicKeyObject(env.key) === null) {
    throw malformed("sender key is not a valid Ed25519 public key");
  }
  if (!verifyFramed(env.key, Domain.MESSAGE, env.header, env.signature)) {
    throw new MoatError(ReasonCode.BAD_SIGNATURE, "message signature does not verify");
  }
  const h = env.peekHeader();
  if (!agentIdMatches(h.sender, env.key)) {
    throw new MoatError(ReasonCode.ID_KEY_MISMATCH, "sender id does not belong to the signing key");
  }
  if (!constantTimeEqual(domainHash(Domain.PAYLOAD, env.body), h.bodySha256)) {
    throw new MoatError(ReasonCode.DIGEST_MISMATCH, "body does not match the signed digest");
  }
  if (!constantTimeEqual(env.chain.hash(), h.chainSha256)) {
    throw new MoatError(ReasonCode.DIGEST_MISMATCH, "token chain does not match the signed digest");
  }
  if (checkSubject) {
    let leaf: TokenClaims;
    try {
      leaf = env.chain.leafClaims();
    } catch (e) {
      if (e instanceof MoatError) {
        throw new MoatError(e.code, `leaf token: ${e.message}`);
      }
      throw e;
    }
    if (leaf.subject !== h.sender) {
      throw new MoatError(ReasonCode.NOT_SUBJECT, `sender ${h.sender} is not the subject of the leaf token`);
    }
  }
  return Object.freeze({
    header: h, envelope: env, id: h.id, sender: h.sender, recipient: h.recipient, audience: h.audience, resource: h.resource,
    action: h.action, seq: h.seq, ts: h.ts, policy: h.policy, chain: env.chain, body: env.body,
  });
}

/**
 * Signs messages for one agent and one chain, addressed to one policy enforcement point (the
 * signed audience `aud`; any other PEP refuses them with `wrong_audience`). Sequence numbers are
 * strictly increasing: `max(previous + 1, now in microseconds)`.
 */
export class MessageSigner {
  #last = 0n;
  readonly #chainSha256: Uint8Array;

  /** `audience` is the identity of the PEP the messages are for (same grammar as a recipient). */
  constructor(readonly agent: Keypair, readonly chain: TokenChain, readonly audience: string, private readonly clock: () => number = Date.now) {
    if (!isEndpointName(audience)) {
      throw new RangeError("invalid audience (the PEP identity: [A-Za-z0-9][A-Za-z0-9._:/-]{0,127})");
    }
    this.#chainSha256 = chain.hash();
  }

  /** Signs a request to perform `action` on `resource` with `body` as its arguments. */
  sign(recipient: string, resource: string, action: string, body: Uint8Array, policy: PolicyBinding, seq?: bigint): MessageEnvelope {
    const now = Math.floor(this.clock());
    let s: bigint;
    if (seq === undefined) {
      const micros = BigInt(now) * 1000n;
      s = this.#last + 1n > micros ? this.#last + 1n : micros;
      this.#last = s;
    } else {
      s = seq;
    }
    let header: MessageHeader;
    try {
      header = checkHeader({
        id: encodeBase64Url(randomBytes(16)), sender: this.agent.id, recipient, audience: this.audience, resource, action,
        bodySha256: domainHash(Domain.PAYLOAD, body), chainSha256: this.#chainSha256, policy, seq: s, ts: now,
      });
    } catch (e) {
      throw malformed(e instanceof Error ? e.message : "invalid header");
    }
    const bytes = encodeHeader(header);
    return new MessageEnvelope(this.agent.publicKey, bytes, this.agent.sign(Domain.MESSAGE, bytes), new Uint8Array(body), this.chain);
  }
}
