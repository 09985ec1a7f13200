package dev.moat.sandbox.internal;

import java.io.ByteArrayOutputStream;

/** LEB128 reading and writing for the Wasm binary format, with bounds checks. */
final class Leb128 {
    private Leb128() {}

    /** Reads an unsigned 32-bit LEB128 at {@code pos[0]}, advancing it. */
    static int readU32(byte[] b, int[] pos, int limit) {
        long result = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= limit) {
                throw new InstrumentationException("truncated LEB128");
            }
            int x = b[pos[0]++] & 0xff;
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw new InstrumentationException("LEB128 too long");
            }
        }
        if (result > Integer.MAX_VALUE) {
            throw new InstrumentationException("LEB128 value out of range");
        }
        return (int) result;
    }

    static void writeU32(ByteArrayOutputStream out, long value) {
        long v = value;
        do {
            int x = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v != 0 ? x | 0x80 : x);
        } while (v != 0);
    }

    static void writeS64(ByteArrayOutputStream out, long value) {
        long v = value;
        while (true) {
            int x = (int) (v & 0x7f);
            v >>= 7;
            boolean done = (v == 0 && (x & 0x40) == 0) || (v == -1 && (x & 0x40) != 0);
            out.write(done ? x : x | 0x80);
            if (done) {
                return;
            }
        }
    }
}
