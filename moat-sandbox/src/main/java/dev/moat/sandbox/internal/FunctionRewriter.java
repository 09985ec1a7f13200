package dev.moat.sandbox.internal;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import java.io.ByteArrayOutputStream;
import java.util.List;

/** Rewrites one function body for {@link Instrumenter}: fuel checks per segment, grow checks. */
final class FunctionRewriter {
    private static final int GLOBAL_GET = 0x23;
    private static final int GLOBAL_SET = 0x24;
    private static final int LOCAL_GET = 0x20;
    private static final int LOCAL_TEE = 0x22;
    private static final int I64_CONST = 0x42;
    private static final int I32_CONST = 0x41;
    private static final int I64_SUB = 0x7D;
    private static final int I64_LT_S = 0x53;
    private static final int I32_EQ = 0x46;
    private static final int IF = 0x04;
    private static final int EMPTY_BLOCK = 0x40;
    private static final int UNREACHABLE = 0x00;
    private static final int END = 0x0B;
    private static final int I64 = 0x7E;
    private static final int I32 = 0x7F;

    private FunctionRewriter() {}

    static byte[] rewrite(byte[] b, int bodyStart, int bodyEnd, FunctionBody body, int params,
            int fuelGlobal, int growGlobal, boolean meterFuel) {
        List<AnnotatedInstruction> ins = body.instructions();
        int n = ins.size();
        if (n == 0) {
            throw new InstrumentationException("empty function body");
        }
        int firstAddress = ins.get(0).address();
        if (firstAddress <= bodyStart || firstAddress >= bodyEnd || ins.get(n - 1).opcode() != OpCode.END
                || b[bodyEnd - 1] != END) {
            throw new InstrumentationException("function body layout differs from parse");
        }
        boolean grows = false;
        for (int i = 0; i < n; i++) {
            int a = ins.get(i).address();
            int next = i + 1 < n ? ins.get(i + 1).address() : bodyEnd;
            if (next <= a || next > bodyEnd) {
                throw new InstrumentationException("instruction addresses out of order");
            }
            grows |= ins.get(i).opcode() == OpCode.MEMORY_GROW;
        }
        int extraLocals = (meterFuel ? 1 : 0) + (grows ? 1 : 0);
        int firstNewLocal = params + body.localTypes().size();
        int fuelLocal = firstNewLocal;
        int growLocal = firstNewLocal + (meterFuel ? 1 : 0);

        ByteArrayOutputStream out = new ByteArrayOutputStream((bodyEnd - bodyStart) * 2 + 16);
        int[] pos = {bodyStart};
        int declCount = Leb128.readU32(b, pos, firstAddress);
        Leb128.writeU32(out, (long) declCount + extraLocals);
        out.write(b, pos[0], firstAddress - pos[0]);
        if (meterFuel) {
            out.write(1);
            out.write(I64);
        }
        if (grows) {
            out.write(1);
            out.write(I32);
        }

        long[] segmentCost = meterFuel ? segmentCosts(ins) : null;
        for (int i = 0; i < n; i++) {
            AnnotatedInstruction in = ins.get(i);
            if (meterFuel && segmentCost[i] > 0) {
                charge(out, segmentCost[i], fuelGlobal, fuelLocal);
            }
            int a = in.address();
            int next = i + 1 < n ? ins.get(i + 1).address() : bodyEnd;
            out.write(b, a, next - a);
            if (in.opcode() == OpCode.MEMORY_GROW) {
                recordRefusedGrow(out, growGlobal, growLocal);
            }
        }
        return out.toByteArray();
    }

    /** Cost charged before instruction i: non-zero only where a segment starts. */
    private static long[] segmentCosts(List<AnnotatedInstruction> ins) {
        int n = ins.size();
        long[] cost = new long[n];
        int start = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            OpCode op = ins.get(i).opcode();
            sum += weight(op);
            if (endsSegment(op) || i == n - 1) {
                cost[start] = sum;
                start = i + 1;
                sum = 0;
            }
        }
        return cost;
    }

    /** Structural markers cost nothing; every other instruction costs one unit of fuel. */
    private static int weight(OpCode op) {
        switch (op) {
            case END:
            case ELSE:
            case BLOCK:
            case LOOP:
            case NOP:
                return 0;
            default:
                return 1;
        }
    }

    private static boolean endsSegment(OpCode op) {
        switch (op) {
            case LOOP:
            case IF:
            case ELSE:
            case END:
            case BR:
            case BR_IF:
            case BR_TABLE:
            case RETURN:
            case RETURN_CALL:
            case RETURN_CALL_INDIRECT:
            case UNREACHABLE:
                return true;
            default:
                return false;
        }
    }

    /** fuel -= cost; if (fuel < 0) unreachable. Stack-neutral. */
    private static void charge(ByteArrayOutputStream out, long cost, int fuelGlobal, int fuelLocal) {
        out.write(GLOBAL_GET);
        Leb128.writeU32(out, fuelGlobal);
        out.write(I64_CONST);
        Leb128.writeS64(out, cost);
        out.write(I64_SUB);
        out.write(LOCAL_TEE);
        Leb128.writeU32(out, fuelLocal);
        out.write(GLOBAL_SET);
        Leb128.writeU32(out, fuelGlobal);
        out.write(LOCAL_GET);
        Leb128.writeU32(out, fuelLocal);
        out.write(I64_CONST);
        out.write(0);
        out.write(I64_LT_S);
        out.write(IF);
        out.write(EMPTY_BLOCK);
        out.write(UNREACHABLE);
        out.write(END);
    }

    /** After memory.grow (result on the stack): if it is -1, set the refused flag. Keeps the result. */
    private static void recordRefusedGrow(ByteArrayOutputStream out, int growGlobal, int growLocal) {
        out.write(LOCAL_TEE);
        Leb128.writeU32(out, growLocal);
        out.write(I32_CONST);
        out.write(0x7F); // -1
        out.write(I32_EQ);
        out.write(IF);
        out.write(EMPTY_BLOCK);
        out.write(I32_CONST);
        out.write(1);
        out.write(GLOBAL_SET);
        Leb128.writeU32(out, growGlobal);
        out.write(END);
        out.write(LOCAL_GET);
        Leb128.writeU32(out, growLocal);
    }
}
