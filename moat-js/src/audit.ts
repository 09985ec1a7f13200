import * as fs from "node:fs";
import { encodeBase64Url } from "./base64url.js";
import { Domain, constantTimeEqual, domainHash, verifyFramed } from "./crypto.js";
import { MoatError, malformed } from "./errors.js";
import { Fields } from "./fields.js";
import { agentIdMatches, agentIdOf, isAgentId, isValidPublicKey } from "./identity.js";
import { CanonicalValue, JsonValue, bytesEqual, canonicalJson, canonicalJsonBytes, parseJsonObject, utf8 } from "./json.js";
import { formatTime } from "./time.js";

/**
 * Offline verification of a Moat audit log (spec/PROTOCOL.md section 15), as moat-core's
 * `AuditVerifier`: streaming, constant memory, stops at the first problem and says which index
 * broke and how. Never throws for bad input.
 */

/** A line (with its newline) is at most 1 MiB. */
export const MAX_AUDIT_LINE_BYTES = 1 << 20;
const MAX_CHECKPOINT_LINE_BYTES = 4096;
const MAX_KEY_FILE_BYTES = 4096;
const GENESIS = new Uint8Array(32);

/** What broke. Callers branch on this, never on `detail`. */
export type AuditBreakKind =
  | "MALFORMED_LINE" | "HASH_MISMATCH" | "PREVIOUS_HASH_MISMATCH" | "INDEX_GAP" | "TORN_TAIL" | "CHECKPOINT_SIGNATURE"
  | "CHECKPOINT_MISMATCH" | "TRUNCATED" | "UNCHECKPOINTED_TAIL" | "EMPTY" | "MISSING" | "UNREADABLE";

/** Which file the problem is in. */
export type AuditSource = "LOG" | "CHECKPOINTS" | "KEY";

/**
 * Where and how a log failed: `index` is the first entry index that can no longer be trusted (for
 * checkpoint problems the last index the checkpoint covers; for a torn tail or truncation the
 * number of complete entries); `line` is 1-based in the file named by `source` (0 when not about a
 * line).
 */
export interface AuditBreak {
  readonly kind: AuditBreakKind;
  readonly source: AuditSource;
  readonly index: bigint;
  readonly line: number;
  readonly detail: string;
}

/** The result of verifying a log. */
export type AuditVerification =
  | {
      readonly intact: true;
      readonly entries: bigint;
      readonly checkpointsVerified: number;
      readonly headHash: Uint8Array;
      /** Entries after the last checkpoint: chained but not signed. */
      readonly uncheckpointedEntries: bigint;
      /** PROVIDED: the caller gave the key; SELF_ASSERTED: read from the log's own `.key` file. */
      readonly keyTrust: "PROVIDED" | "SELF_ASSERTED";
    }
  | { readonly intact: false; readonly breakage: AuditBreak; readonly entriesVerified: bigint };

function brk(kind: AuditBreakKind, source: AuditSource, index: bigint, line: number, detail: string): AuditBreak {
  return Object.freeze({ kind, source, index, line, detail });
}

// ---- line reading ----

type Read = (buf: Uint8Array) => number;

/** Splits a byte source into '\n'-terminated lines of at most `maxLine` bytes (BoundedLineReader). */
class LineReader {
  private readonly buf = new Uint8Array(64 * 1024);
  private pos = 0;
  private limit = 0;
  private line = new Uint8Array(1024);
  length = 0;
  lineNumber = 0;

  constructor(private readonly read: Read, private readonly maxLine: number) {}

  next(): "LINE" | "TORN" | "OVERSIZED" | "END" {
    this.length = 0;
    let any = false;
    for (;;) {
      if (this.pos === this.limit) {
        const r = this.read(this.buf);
        if (r <= 0) {
          if (!any) {
            return "END";
          }
          this.lineNumber++;
          return "TORN";
        }
        this.pos = 0;
        this.limit = r;
      }
      any = true;
      const start = this.pos;
      let nl = this.buf.indexOf(0x0a, this.pos);
      if (nl >= this.limit) {
        nl = -1;
      }
      const end = nl >= 0 ? nl : this.limit;
      const n = end - start;
      if (this.length + n > this.maxLine) {
        this.lineNumber++;
        return "OVERSIZED";
      }
      if (this.length + n > this.line.length) {
        const bigger = new Uint8Array(Math.min(this.maxLine, Math.max(this.length + n, this.line.length * 2)));
        bigger.set(this.line.subarray(0, this.length));
        this.line = bigger;
      }
      this.line.set(this.buf.subarray(start, end), this.length);
      this.length += n;
      if (nl >= 0) {
        this.pos = nl + 1;
        this.lineNumber++;
        return "LINE";
      }
      this.pos = this.limit;
    }
  }

  bytes(): Uint8Array {
    return this.line.slice(0, this.length);
  }
}

function memoryReader(data: Uint8Array): Read {
  let at = 0;
  return (buf) => {
    const n = Math.min(buf.length, data.length - at);
    buf.set(data.subarray(at, at + n));
    at += n;
    return n;
  };
}

// ---- entries ----

const LINE_FIELDS = new Set(["event", "hash", "index", "prev", "time"]);

type FieldKind = "string" | "bool" | "uint" | "int32" | { enum: readonly string[] };
type Schema = Record<string, { kind: FieldKind; required: boolean }>;

const opt = (kind: FieldKind) => ({ kind, required: false });
const req = (kind: FieldKind) => ({ kind, required: true });

const EVENTS: Record<string, Schema> = {
  decision: {
    agent: opt("string"), resource: opt("string"), action: opt("string"), allowed: req("bool"), stage: opt("string"),
    reasonCode: opt("string"), detail: opt("string"), messageId: opt("string"), headerSha256: opt("string"),
    payloadSha256: opt("string"), chainSha256: opt("string"), arguments: opt("string"), argumentsTruncated: opt("bool"),
    signedMessage: opt("string"), user: opt("string"), wouldDeny: opt("bool"),
  },
  tool_outcome: {
    agent: opt("string"), resource: opt("string"), action: opt("string"), messageId: opt("string"),
    status: req({ enum: ["ok", "error", "denied"] }), resultSha256: opt("string"), error: opt("string"), durationMicros: req("uint"),
  },
  sandbox_run: {
    agent: opt("string"), moduleSha256: opt("string"), fuelUsed: opt("uint"), peakMemoryBytes: req("uint"),
    durationMicros: req("uint"), exit: opt("int32"), reason: opt("string"),
  },
  secret_resolution: { agent: opt("string"), handle: opt("string"), secretNameSha256: opt("string"), granted: req("bool"), reason: opt("string") },
  monitor_alert: { agent: opt("string"), rule: opt("string"), action: req({ enum: ["alert", "block"] }), detail: opt("string") },
  lifecycle: {
    kind: req({ enum: ["start", "stop", "config", "repair", "insecure_resume", "renew", "capability", "notice", "fleet_heads"] }),
    detail: opt("string"), configSha256: opt("string"),
  },
  revocation: {
    change: req({ enum: ["loaded", "revoked", "restored", "unreadable", "recovered"] }),
    agent: opt("string"), tokenId: opt("string"), source: opt("string"), detail: opt("string"),
  },
  trust: {
    change: req({ enum: ["loaded", "trusted", "distrusted", "unreadable", "recovered"] }),
    root: opt("string"), name: opt("string"), source: opt("string"), detail: opt("string"),
  },
};

/**
 * A decision's flags as moat-core reads them: `argumentsTruncated` and `wouldDeny` are written only
 * as `true` (an explicit false is not canonical); truncated arguments need the arguments, and an
 * audit-only decision (`wouldDeny`) is an allowed one with the stage and reason enforce mode would
 * have denied with.
 */
function checkDecision(out: Record<string, string | boolean | bigint>): void {
  for (const flag of ["argumentsTruncated", "wouldDeny"]) {
    if (out[flag] === false) {
      throw malformed(`audit event decision: ${flag} is written only as true`);
    }
  }
  if (out.argumentsTruncated === true && out.arguments === undefined) {
    throw malformed("audit event decision: invalid value");
  }
  if (out.wouldDeny === true && (out.allowed !== true || out.stage === undefined || out.reasonCode === undefined)) {
    throw malformed("audit event decision: invalid value");
  }
}

/** A parsed audit event: its `type` and fields (strings, booleans, bigint integers). */
export type AuditEvent = { readonly type: string } & { readonly [field: string]: string | boolean | bigint };

function parseEvent(node: JsonValue | undefined): AuditEvent {
  if (!(node instanceof Map)) {
    throw malformed("audit event: expected an object");
  }
  const type = node.get("type");
  if (typeof type !== "string") {
    throw malformed("audit event: missing type");
  }
  const schema = Object.prototype.hasOwnProperty.call(EVENTS, type) ? EVENTS[type] : undefined;
  if (schema === undefined) {
    throw malformed("audit event: unknown type");
  }
  const f = Fields.of(node, `audit event ${type}`, new Set(["type", ...Object.keys(schema)]));
  const out: Record<string, string | boolean | bigint> = { type };
  for (const [name, { kind, required }] of Object.entries(schema)) {
    if (!required && !f.has(name)) {
      continue;
    }
    if (kind === "string") {
      out[name] = f.string(name);
    } else if (kind === "bool") {
      out[name] = f.bool(name);
    } else if (kind === "uint" || kind === "int32") {
      const v = f.integer(name);
      if (kind === "uint" && v < 0n) {
        throw malformed(`audit event ${type}: invalid value`);
      }
      if (kind === "int32" && (v < -(2n ** 31n) || v > 2n ** 31n - 1n)) {
        throw malformed(`audit event: field '${name}' out of range`);
      }
      out[name] = v;
    } else {
      const s = f.string(name);
      if (!kind.enum.includes(s)) {
        throw malformed(`audit event ${type}: invalid value`);
      }
      out[name] = s;
    }
  }
  if (type === "decision") {
    checkDecision(out);
  }
  return Object.freeze(out) as AuditEvent;
}

/** A verified-form audit entry. */
export interface AuditEntry {
  readonly index: bigint;
  /** Epoch ms. */
  readonly time: number;
  readonly event: AuditEvent;
  readonly prev: Uint8Array;
  readonly hash: Uint8Array;
}

function entryParts(index: bigint, time: number, event: AuditEvent, prev: Uint8Array): { head: string; tail: string } {
  return {
    head: `{"event":${canonicalJson(event as unknown as CanonicalValue)},`,
    tail: `"index":${index},"prev":"${encodeBase64Url(prev)}","time":"${formatTime(time)}"}`,
  };
}

/** The bytes hashed for an entry: canonical `{"event","index","prev","time"}`. */
export function auditEntryBody(index: bigint, time: number, event: AuditEvent, prev: Uint8Array): Uint8Array {
  const p = entryParts(index, time, event, prev);
  return utf8(p.head + p.tail);
}

/**
 * Parses one line (without its newline) strictly and recomputes its hash: the line must be exactly
 * the canonical encoding. Throws MoatError (malformed).
 */
export function parseAuditLine(line: Uint8Array): { entry: AuditEntry; computedHash: Uint8Array } {
  const node = parseJsonObject(line, MAX_AUDIT_LINE_BYTES, "audit entry");
  const f = Fields.of(node, "audit entry", LINE_FIELDS);
  const index = f.integer("index");
  if (index < 0n) {
    throw malformed("audit entry: negative index");
  }
  const time = f.time("time");
  const prev = f.bytes("prev", 32);
  const hash = f.bytes("hash", 32);
  const event = parseEvent(f.value("event"));
  const p = entryParts(index, time, event, prev);
  if (!bytesEqual(utf8(`${p.head}"hash":"${encodeBase64Url(hash)}",${p.tail}`), line)) {
    throw malformed("audit entry: not in canonical form");
  }
  return { entry: Object.freeze({ index, time, event, prev, hash }), computedHash: domainHash(Domain.AUDIT_ENTRY, utf8(p.head + p.tail)) };
}

// ---- checkpoints ----

/** A signed checkpoint: the log held `count` entries and the last one had hash `head`. */
export interface AuditCheckpoint {
  readonly count: bigint;
  readonly head: Uint8Array;
  readonly time: number;
  readonly signer: string;
  readonly signature: Uint8Array;
}

const CHECKPOINT_FIELDS = new Set(["count", "head", "signer", "time", "signature"]);

function checkpointSignedBytes(c: AuditCheckpoint): Uint8Array {
  return canonicalJsonBytes({ count: c.count, head: encodeBase64Url(c.head), signer: c.signer, time: formatTime(c.time) });
}

/** Parses one checkpoint line strictly (canonical form only). Throws MoatError (malformed). */
export function parseCheckpointLine(line: Uint8Array): AuditCheckpoint {
  const node = parseJsonObject(line, MAX_CHECKPOINT_LINE_BYTES, "audit checkpoint");
  const f = Fields.of(node, "audit checkpoint", CHECKPOINT_FIELDS);
  const count = f.integer("count");
  const head = f.bytes("head", 32);
  const time = f.time("time");
  const signer = f.string("signer");
  const signature = f.bytes("signature", 64);
  if (count < 0n || !isAgentId(signer)) {
    throw malformed("audit checkpoint: invalid value");
  }
  const cp: AuditCheckpoint = Object.freeze({ count, head, time, signer, signature });
  const expected = canonicalJsonBytes({
    count, head: encodeBase64Url(head), signature: encodeBase64Url(signature), signer, time: formatTime(time),
  });
  if (!bytesEqual(expected, line)) {
    throw malformed("audit checkpoint: not in canonical form");
  }
  return cp;
}

function checkpointValid(c: AuditCheckpoint, key: Uint8Array): boolean {
  return agentIdMatches(c.signer, key) && verifyFramed(key, Domain.AUDIT_CHECKPOINT, checkpointSignedBytes(c), c.signature);
}

// ---- the verification state machine (ChainVerifier) ----

class BreakError extends Error {
  constructor(readonly breakage: AuditBreak) {
    super(breakage.kind);
  }
}

interface CheckpointSource {
  next(): AuditCheckpoint | null;
  line(): number;
  tornTail(): AuditBreak | null;
}

class ChainState {
  expected = 0n;
  head: Uint8Array = GENESIS;
  pending: AuditCheckpoint | null = null;
  done = false;
  verifiedCheckpoints = 0;
  lastCount = -1n;

  constructor(private readonly key: Uint8Array, private readonly cps: CheckpointSource) {}

  start(): AuditBreak | null {
    return this.advance();
  }

  accept(e: AuditEntry, computed: Uint8Array, line: number): AuditBreak | null {
    if (e.index !== this.expected) {
      return brk("INDEX_GAP", "LOG", this.expected, line, `expected index ${this.expected}, found ${e.index}`);
    }
    if (!constantTimeEqual(e.prev, this.head)) {
      return brk("PREVIOUS_HASH_MISMATCH", "LOG", this.expected, line, `previous hash is not the hash of entry ${this.expected - 1n}`);
    }
    if (!constantTimeEqual(e.hash, computed)) {
      return brk("HASH_MISMATCH", "LOG", this.expected, line, "stored hash does not match the entry's content");
    }
    this.head = e.hash;
    this.expected++;
    return this.advance();
  }

  finish(logTorn: AuditBreak | null, requireCheckpointAtHead: boolean, keyTrust: "PROVIDED" | "SELF_ASSERTED"): AuditVerification {
    if (this.pending !== null) {
      return this.broken(brk("TRUNCATED", "LOG", this.expected, 0, `a checkpoint covers ${this.pending.count} entries, the log has ${this.expected}`));
    }
    if (logTorn !== null) {
      return this.broken(logTorn);
    }
    const cpTorn = this.cps.tornTail();
    if (cpTorn !== null) {
      return this.broken(cpTorn);
    }
    if (this.expected === 0n) {
      return this.broken(brk("EMPTY", "LOG", 0n, 0, "the log has no entries"));
    }
    const covered = this.lastCount < 0n ? 0n : this.lastCount;
    if (requireCheckpointAtHead && this.lastCount !== this.expected) {
      return this.broken(brk("UNCHECKPOINTED_TAIL", "CHECKPOINTS", covered, 0, "the last checkpoint does not cover the head"));
    }
    return Object.freeze({
      intact: true as const, entries: this.expected, checkpointsVerified: this.verifiedCheckpoints, headHash: this.head,
      uncheckpointedEntries: this.expected - covered, keyTrust,
    });
  }

  broken(b: AuditBreak): AuditVerification {
    return Object.freeze({ intact: false as const, breakage: b, entriesVerified: this.expected });
  }

  private advance(): AuditBreak | null {
    for (;;) {
      if (this.pending === null) {
        if (this.done) {
          return null;
        }
        let next: AuditCheckpoint | null;
        try {
          next = this.cps.next();
        } catch (e) {
          if (e instanceof BreakError) {
            return e.breakage;
          }
          throw e;
        }
        if (next === null) {
          this.done = true;
          return null;
        }
        const covered = next.count > 0n ? next.count - 1n : 0n;
        if (!checkpointValid(next, this.key)) {
          return brk("CHECKPOINT_SIGNATURE", "CHECKPOINTS", covered, this.cps.line(), "checkpoint is not signed by the log key");
        }
        if (next.count < this.expected || next.count < this.lastCount) {
          return brk("CHECKPOINT_MISMATCH", "CHECKPOINTS", covered, this.cps.line(), "checkpoints are out of order");
        }
        this.pending = next;
      }
      if (this.pending.count > this.expected) {
        return null;
      }
      if (!constantTimeEqual(this.pending.head, this.head)) {
        return brk("CHECKPOINT_MISMATCH", "CHECKPOINTS", this.pending.count > 0n ? this.pending.count - 1n : 0n, this.cps.line(),
          "checkpoint head differs from the chain");
      }
      this.verifiedCheckpoints++;
      this.lastCount = this.pending.count;
      this.pending = null;
    }
  }
}

class LineCheckpoints implements CheckpointSource {
  private torn: AuditBreak | null = null;
  constructor(private readonly lines: LineReader) {}

  next(): AuditCheckpoint | null {
    const s = this.lines.next();
    if (s === "END") {
      return null;
    }
    if (s === "TORN") {
      this.torn = brk("TORN_TAIL", "CHECKPOINTS", 0n, this.lines.lineNumber, "unterminated last checkpoint line");
      return null;
    }
    if (s === "OVERSIZED") {
      throw new BreakError(brk("MALFORMED_LINE", "CHECKPOINTS", 0n, this.lines.lineNumber, "checkpoint line too long"));
    }
    try {
      return parseCheckpointLine(this.lines.bytes());
    } catch (e) {
      throw new BreakError(brk("MALFORMED_LINE", "CHECKPOINTS", 0n, this.lines.lineNumber, e instanceof MoatError ? e.message : "unparseable"));
    }
  }

  line(): number {
    return this.lines.lineNumber;
  }

  tornTail(): AuditBreak | null {
    return this.torn;
  }
}

/** Options for audit verification. */
export interface AuditVerifyOptions {
  /** The log's public key from a source the caller trusts; without it the `.key` sidecar is read. */
  readonly publicKey?: Uint8Array;
  /** Fail with UNCHECKPOINTED_TAIL unless the last checkpoint covers the last entry. */
  readonly requireCheckpointAtHead?: boolean;
  /** Longest accepted line without its newline (default 1 MiB - 1). */
  readonly maxLineBytes?: number;
}

function run(logRead: Read, cpRead: Read, key: Uint8Array, trust: "PROVIDED" | "SELF_ASSERTED", o: AuditVerifyOptions): AuditVerification {
  const maxLine = o.maxLineBytes ?? MAX_AUDIT_LINE_BYTES - 1;
  if (!Number.isInteger(maxLine) || maxLine < 64) {
    throw new RangeError("maxLineBytes too small");
  }
  const v = new ChainState(key, new LineCheckpoints(new LineReader(cpRead, MAX_CHECKPOINT_LINE_BYTES)));
  let b = v.start();
  if (b !== null) {
    return v.broken(b);
  }
  const lines = new LineReader(logRead, maxLine);
  let torn: AuditBreak | null = null;
  for (;;) {
    const s = lines.next();
    if (s === "END") {
      break;
    }
    const index = v.expected;
    if (s === "TORN") {
      torn = brk("TORN_TAIL", "LOG", index, lines.lineNumber, `${lines.length} bytes of an unterminated last line`);
      break;
    }
    if (s === "OVERSIZED") {
      return v.broken(brk("MALFORMED_LINE", "LOG", index, lines.lineNumber, `line exceeds ${maxLine} bytes`));
    }
    let parsed: { entry: AuditEntry; computedHash: Uint8Array };
    try {
      parsed = parseAuditLine(lines.bytes());
    } catch (e) {
      return v.broken(brk("MALFORMED_LINE", "LOG", index, lines.lineNumber, e instanceof MoatError ? e.message : "unparseable"));
    }
    b = v.accept(parsed.entry, parsed.computedHash, lines.lineNumber);
    if (b !== null) {
      return v.broken(b);
    }
  }
  return v.finish(torn, o.requireCheckpointAtHead ?? false, trust);
}

function missing(source: AuditSource, detail: string): AuditVerification {
  return Object.freeze({ intact: false as const, breakage: brk("MISSING", source, 0n, 0, detail), entriesVerified: 0n });
}

function unreadable(source: AuditSource, e: unknown): AuditVerification {
  return Object.freeze({
    intact: false as const, breakage: brk("UNREADABLE", source, 0n, 0, e instanceof Error ? e.name : "error"), entriesVerified: 0n,
  });
}

/** Reads and checks the `.key` sidecar; throws MoatError (malformed). */
export function parseLogKeyFile(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_KEY_FILE_BYTES) {
    throw malformed("key file: too large");
  }
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) {
    throw malformed("key file: not one terminated line");
  }
  const node = parseJsonObject(bytes.subarray(0, bytes.length - 1), MAX_KEY_FILE_BYTES, "key file");
  const f = Fields.of(node, "key file", new Set(["agent", "publicKey"]));
  const key = f.bytes("publicKey", 32);
  const agent = f.string("agent");
  if (!isValidPublicKey(key) || !isAgentId(agent)) {
    throw malformed("key file: invalid key or agent id");
  }
  if (!agentIdMatches(agent, key)) {
    throw malformed("key file: agent id does not belong to the key");
  }
  if (!bytesEqual(utf8(`{"agent":"${agent}","publicKey":"${encodeBase64Url(key)}"}\n`), bytes)) {
    throw malformed("key file: not in canonical form");
  }
  return key;
}

/**
 * Verifies the JSONL log at `logPath` with its `.checkpoints` (and, without a key, `.key`)
 * sidecars. Reads with a 64 KiB buffer plus one line.
 */
export function verifyAuditLog(logPath: string, options: AuditVerifyOptions = {}): AuditVerification {
  if (!fs.existsSync(logPath)) {
    return missing("LOG", "log file does not exist");
  }
  const cpPath = logPath + ".checkpoints";
  if (!fs.existsSync(cpPath)) {
    return missing("CHECKPOINTS", "checkpoint file does not exist");
  }
  let key = options.publicKey;
  let trust: "PROVIDED" | "SELF_ASSERTED" = "PROVIDED";
  if (key === undefined) {
    const keyPath = logPath + ".key";
    if (!fs.existsSync(keyPath)) {
      return missing("KEY", "no key given and no key file");
    }
    let bytes: Uint8Array;
    try {
      const st = fs.statSync(keyPath);
      if (st.size > MAX_KEY_FILE_BYTES) {
        return Object.freeze({ intact: false as const, breakage: brk("MALFORMED_LINE", "KEY", 0n, 1, "key file: too large"), entriesVerified: 0n });
      }
      bytes = fs.readFileSync(keyPath);
    } catch (e) {
      return unreadable("KEY", e);
    }
    try {
      key = parseLogKeyFile(new Uint8Array(bytes));
      trust = "SELF_ASSERTED";
    } catch (e) {
      return Object.freeze({
        intact: false as const, breakage: brk("MALFORMED_LINE", "KEY", 0n, 1, e instanceof MoatError ? e.message : "invalid"),
        entriesVerified: 0n,
      });
    }
  } else if (!isValidPublicKey(key)) {
    throw new RangeError("publicKey is not a valid Ed25519 public key");
  }
  let logFd = -1;
  let cpFd = -1;
  try {
    logFd = fs.openSync(logPath, "r");
    cpFd = fs.openSync(cpPath, "r");
    const lf = logFd;
    const cf = cpFd;
    return run((b) => fs.readSync(lf, b, 0, b.length, null), (b) => fs.readSync(cf, b, 0, b.length, null), key, trust, options);
  } catch (e) {
    if (e instanceof RangeError) {
      throw e;
    }
    return unreadable("LOG", e);
  } finally {
    if (logFd >= 0) fs.closeSync(logFd);
    if (cpFd >= 0) fs.closeSync(cpFd);
  }
}

/** Verifies a log and its checkpoints held in memory (the bytes of both files) with `publicKey`. */
export function verifyAuditBytes(log: Uint8Array, checkpoints: Uint8Array, publicKey: Uint8Array, options: AuditVerifyOptions = {}): AuditVerification {
  if (!isValidPublicKey(publicKey)) {
    throw new RangeError("publicKey is not a valid Ed25519 public key");
  }
  return run(memoryReader(log), memoryReader(checkpoints), publicKey, "PROVIDED", options);
}

/**
 * The stored line (without newline) and hash of the entry that follows `prev`: for tools and tests
 * that write logs verifiable by moat-core. Throws MoatError (malformed) for an event that is not of
 * a known type with valid fields.
 */
export function createAuditEntry(index: bigint, time: number, event: AuditEvent, prev: Uint8Array): { line: string; hash: Uint8Array } {
  const canonicalEvent = parseEvent(parseJsonObject(utf8(canonicalJson(event as unknown as CanonicalValue)), MAX_AUDIT_LINE_BYTES, "audit event"));
  if (index < 0n || prev.length !== 32) {
    throw malformed("audit entry: negative index or bad previous hash");
  }
  const p = entryParts(index, time, canonicalEvent, prev);
  const hash = domainHash(Domain.AUDIT_ENTRY, utf8(p.head + p.tail));
  return { line: `${p.head}"hash":"${encodeBase64Url(hash)}",${p.tail}`, hash };
}

/** A signed checkpoint line (without newline) for `count` entries ending in `head`. */
export function signCheckpoint(key: { id: string; sign(tag: string, bytes: Uint8Array): Uint8Array }, count: bigint, head: Uint8Array, time: number): string {
  const t = Math.floor(time);
  const cp = { count, head, time: t, signer: key.id, signature: new Uint8Array(64) };
  const signature = key.sign(Domain.AUDIT_CHECKPOINT, checkpointSignedBytes(cp));
  return canonicalJson({ count, head: encodeBase64Url(head), signature: encodeBase64Url(signature), signer: key.id, time: formatTime(t) });
}

/** The `.key` sidecar line for a log key. */
export function logKeyFileLine(publicKey: Uint8Array): string {
  return `{"agent":"${agentIdOf(publicKey)}","publicKey":"${encodeBase64Url(publicKey)}"}\n`;
}
