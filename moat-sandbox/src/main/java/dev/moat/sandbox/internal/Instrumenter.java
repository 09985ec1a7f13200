package dev.moat.sandbox.internal;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Rewrites a validated module's code so that it meters its own fuel, in every execution mode.
 *
 * <p>Two mutable globals are appended (so no existing index moves): an {@code i64} fuel counter
 * and an {@code i32} flag set when {@code memory.grow} is refused. The code of every defined
 * function is cut into straight-line segments: a segment starts at the function entry and right
 * after every instruction that can transfer control ({@code loop}, {@code if}, {@code else},
 * {@code end}, branches, {@code return}, tail calls, {@code unreachable}). At the start of each
 * segment the segment's static cost (its number of instructions, structural markers free) is
 * subtracted from the counter, and the guest traps with {@code unreachable} once it goes
 * negative. The same rewritten module runs in the interpreter and in compiled code, so fuel use
 * is identical in both. Each {@code memory.grow} is followed by a check that records a refusal.
 *
 * <p>Input must already have been validated by Chicory's parser; the rewritten bytes are parsed
 * and validated again by the caller.
 */
public final class Instrumenter {
    private static final int SECTION_CUSTOM = 0;
    private static final int SECTION_GLOBAL = 6;
    private static final int SECTION_CODE = 10;
    private static final int HEADER = 8;

    /** The rewritten bytes and the indices of the two added globals. */
    public record Result(byte[] bytes, int fuelGlobal, int growRefusedGlobal) {}

    private Instrumenter() {}

    /**
     * Rewrites {@code original} (whose parse is {@code parsed}). With {@code meterFuel} false only
     * the grow check is added.
     */
    public static Result instrument(byte[] original, WasmModule parsed, boolean meterFuel) {
        int importedGlobals = (int) parsed.importSection().stream()
                .filter(i -> i.importType() == ExternalType.GLOBAL).count();
        int fuelGlobal = importedGlobals + parsed.globalSection().globalCount();
        int growGlobal = fuelGlobal + 1;
        int importedFunctions = (int) parsed.importSection().stream()
                .filter(i -> i.importType() == ExternalType.FUNCTION).count();

        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + original.length / 4 + 64);
        out.write(original, 0, HEADER);
        int[] pos = {HEADER};
        boolean globalsWritten = false;
        while (pos[0] < original.length) {
            int sectionStart = pos[0];
            int id = original[pos[0]++] & 0xff;
            int size = Leb128.readU32(original, pos, original.length);
            int contentStart = pos[0];
            int contentEnd = contentStart + size;
            if (contentEnd > original.length || contentEnd < contentStart) {
                throw new InstrumentationException("section out of bounds");
            }
            if (!globalsWritten && id != SECTION_CUSTOM && rank(id) > rank(SECTION_GLOBAL)) {
                writeSection(out, SECTION_GLOBAL, globalSection(original, -1, -1));
                globalsWritten = true;
            }
            if (id == SECTION_GLOBAL) {
                writeSection(out, SECTION_GLOBAL, globalSection(original, contentStart, contentEnd));
                globalsWritten = true;
            } else if (id == SECTION_CODE) {
                writeSection(out, SECTION_CODE, codeSection(original, contentStart, contentEnd, parsed,
                        importedFunctions, fuelGlobal, growGlobal, meterFuel));
            } else {
                out.write(original, sectionStart, contentEnd - sectionStart);
            }
            pos[0] = contentEnd;
        }
        if (!globalsWritten) {
            writeSection(out, SECTION_GLOBAL, globalSection(original, -1, -1));
        }
        return new Result(out.toByteArray(), fuelGlobal, growGlobal);
    }

    /** Canonical order of known sections (tag 13 sits before global, data count 12 before code). */
    private static int rank(int id) {
        switch (id) {
            case 13: return 6;
            case 6: return 7;
            case 7: return 8;
            case 8: return 9;
            case 9: return 10;
            case 12: return 11;
            case 10: return 12;
            case 11: return 13;
            default: return id;
        }
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        Leb128.writeU32(out, content.length);
        out.write(content, 0, content.length);
    }

    private static byte[] globalSection(byte[] original, int start, int end) {
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        int count = 0;
        int[] pos = {start};
        if (start >= 0) {
            count = Leb128.readU32(original, pos, end);
        }
        Leb128.writeU32(g, (long) count + 2);
        if (start >= 0) {
            g.write(original, pos[0], end - pos[0]);
        }
        // (global (mut i64) (i64.const 0)) and (global (mut i32) (i32.const 0))
        g.writeBytes(new byte[] {0x7E, 0x01, 0x42, 0x00, 0x0B, 0x7F, 0x01, 0x41, 0x00, 0x0B});
        return g.toByteArray();
    }

    private static byte[] codeSection(byte[] b, int start, int end, WasmModule parsed, int importedFunctions,
            int fuelGlobal, int growGlobal, boolean meterFuel) {
        int[] pos = {start};
        int count = Leb128.readU32(b, pos, end);
        FunctionBody[] bodies = parsed.codeSection().functionBodies();
        if (count != bodies.length) {
            throw new InstrumentationException("code section count differs from parse");
        }
        ByteArrayOutputStream c = new ByteArrayOutputStream(end - start + end / 4);
        Leb128.writeU32(c, count);
        for (int i = 0; i < count; i++) {
            int size = Leb128.readU32(b, pos, end);
            int bodyStart = pos[0];
            int bodyEnd = bodyStart + size;
            if (bodyEnd > end || bodyEnd < bodyStart) {
                throw new InstrumentationException("function body out of bounds");
            }
            int typeIndex = parsed.functionSection().getFunctionType(i);
            int params = parsed.typeSection().getType(typeIndex).params().size();
            byte[] body = FunctionRewriter.rewrite(b, bodyStart, bodyEnd, bodies[i], params,
                    fuelGlobal, growGlobal, meterFuel);
            Leb128.writeU32(c, body.length);
            c.write(body, 0, body.length);
            pos[0] = bodyEnd;
        }
        if (pos[0] != end) {
            throw new InstrumentationException("trailing bytes in code section");
        }
        return c.toByteArray();
    }

    /** Opcodes this sandbox does not run: GC, exceptions, typed function references, threads. */
    public static String unsupportedFeature(WasmModule parsed) {
        for (FunctionBody body : parsed.codeSection().functionBodies()) {
            List<AnnotatedInstruction> ins = body.instructions();
            for (AnnotatedInstruction in : ins) {
                OpCode op = in.opcode();
                int code = op.opcode();
                if (code >= 0xFB00 || op == OpCode.THROW || op == OpCode.THROW_REF || op == OpCode.TRY_TABLE
                        || op == OpCode.CALL_REF || op == OpCode.RETURN_CALL_REF || op == OpCode.BR_ON_NULL
                        || op == OpCode.BR_ON_NON_NULL || op == OpCode.REF_EQ || op == OpCode.REF_AS_NON_NULL) {
                    if (code >= 0xFC00 && code < 0xFE00) {
                        continue; // saturating truncation, bulk memory, tables, SIMD: supported
                    }
                    return op.name();
                }
            }
        }
        return null;
    }
}
