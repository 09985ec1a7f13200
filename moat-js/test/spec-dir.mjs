// The spec directory whose vectors the tests run: MOAT_SPEC_DIR (for example another branch's
// spec/), else this repository's spec/. Returns the vectors directory with a trailing separator.
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const SPEC = process.env.MOAT_SPEC_DIR ? resolve(process.env.MOAT_SPEC_DIR) : fileURLToPath(new URL("../../spec/", import.meta.url));
export const VECTORS_DIR = join(SPEC, "vectors") + sep;
