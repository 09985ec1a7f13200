import * as fs from "node:fs";
import { MoatError, ReasonCode, malformed } from "./errors.js";
import { Fields } from "./fields.js";
import { Keypair, agentIdOf, isAgentName, isValidPublicKey } from "./identity.js";
import { JsonObject, bytesEqual, parseJsonObject } from "./json.js";

/**
 * Key files as moat-core's `KeyFiles` writes them (spec/PROTOCOL.md section 11): a private key
 * file `{"id","name","private_key","public_key","type":"moat-agent-key","v":1}` (mode 0600) and a
 * public identity file without `private_key` and with `"type":"moat-agent-identity"`. Loading only;
 * every refusal is a `malformed` MoatError that never contains key bytes.
 */
export const MAX_KEY_FILE_BYTES = 16 * 1024;
const PRIVATE_FIELDS = new Set(["v", "type", "name", "id", "public_key", "private_key"]);
const PUBLIC_FIELDS = new Set(["v", "type", "name", "id", "public_key"]);

/** A public identity: a local name, a public key and the agent id derived from it. */
export interface AgentIdentity {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly id: string;
}

function read(path: string): JsonObject {
  let bytes: Uint8Array;
  try {
    if (fs.statSync(path).size > MAX_KEY_FILE_BYTES) {
      throw malformed(`key file ${path} is larger than ${MAX_KEY_FILE_BYTES} bytes`);
    }
    bytes = fs.readFileSync(path);
  } catch (e) {
    if (e instanceof MoatError) {
      throw e;
    }
    throw malformed(`cannot read key file ${path}`);
  }
  return parseJsonObject(new Uint8Array(bytes), MAX_KEY_FILE_BYTES, "key file");
}

function header(f: Fields, type: string): void {
  if (f.integer("v") !== 1n || f.string("type") !== type) {
    throw malformed(`expected a ${type} file, version 1`);
  }
}

function named(name: string): string {
  if (!isAgentName(name)) {
    throw malformed("invalid agent name in key file");
  }
  return name;
}

/**
 * Loads a private key file. Refuses a file that group or others may access in any way (as
 * moat-core does) unless `allowGroupReadable` (avoid), and a file whose public key or id does not
 * match its seed.
 */
export function loadPrivateKeyFile(path: string, options: { allowGroupReadable?: boolean } = {}): { name: string; keypair: Keypair } {
  if (!options.allowGroupReadable) {
    let mode: number;
    try {
      mode = fs.statSync(path).mode;
    } catch {
      throw malformed(`cannot read key file ${path}`);
    }
    if ((mode & 0o077) !== 0) {
      throw new MoatError(ReasonCode.MALFORMED, `refusing key file ${path}: group or others have access (chmod 600 it)`);
    }
  }
  const node = read(path);
  const f = Fields.of(node, "key file", PRIVATE_FIELDS);
  header(f, "moat-agent-key");
  const seed = f.bytes("private_key", 32);
  const keypair = Keypair.fromSeed(seed);
  seed.fill(0);
  const name = named(f.string("name"));
  if (!bytesEqual(keypair.publicKey, f.bytes("public_key", 32)) || keypair.id !== f.string("id")) {
    throw malformed(`key file ${path}: public key or id does not match the private key`);
  }
  return { name, keypair };
}

/** Loads a public identity file (or the public half of a private key file). */
export function loadIdentityFile(path: string): AgentIdentity {
  const node = read(path);
  const isPrivate = node.has("private_key");
  const f = Fields.of(node, "identity file", isPrivate ? PRIVATE_FIELDS : PUBLIC_FIELDS);
  header(f, isPrivate ? "moat-agent-key" : "moat-agent-identity");
  const name = named(f.string("name"));
  const publicKey = f.bytes("public_key", 32);
  if (!isValidPublicKey(publicKey)) {
    throw malformed(`identity file ${path}: invalid public key`);
  }
  const id = agentIdOf(publicKey);
  if (id !== f.string("id")) {
    throw malformed(`identity file ${path}: id does not belong to the public key`);
  }
  return Object.freeze({ name, publicKey, id });
}
