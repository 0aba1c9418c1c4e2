package io.github.kslr.tools.tflite;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A flatbuffer table read by field position ("slot": the n-th field of the table in the schema, counting union fields
 * as two: their type byte, then the value). The converter reads TFLite files this way so that it does not need the
 * TFLite schema's generated classes.
 *
 * <p>Not thread-safe; a view over a buffer owned by the caller, which must not change while it is read.
 */
final class FbTable extends Table {
    FbTable(ByteBuffer buffer, int position) {
        __reset(position, buffer);
    }

    /** The root table of a finished flatbuffer. */
    static FbTable root(ByteBuffer buffer) {
        ByteBuffer bb = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new FbTable(bb, bb.getInt(bb.position()) + bb.position());
    }

    private int field(int slot) {
        return __offset(4 + 2 * slot);
    }

    boolean has(int slot) {
        return field(slot) != 0;
    }

    int getInt(int slot, int defaultValue) {
        int o = field(slot);
        return o != 0 ? bb.getInt(bb_pos + o) : defaultValue;
    }

    long getLong(int slot, long defaultValue) {
        int o = field(slot);
        return o != 0 ? bb.getLong(bb_pos + o) : defaultValue;
    }

    int getByte(int slot, int defaultValue) {
        int o = field(slot);
        return o != 0 ? bb.get(bb_pos + o) : defaultValue;
    }

    boolean getBool(int slot, boolean defaultValue) {
        int o = field(slot);
        return o != 0 ? bb.get(bb_pos + o) != 0 : defaultValue;
    }

    String getString(int slot) {
        int o = field(slot);
        return o != 0 ? __string(bb_pos + o) : null;
    }

    /** A sub-table, or null when the field is absent. */
    FbTable getTable(int slot) {
        int o = field(slot);
        return o != 0 ? new FbTable(bb, __indirect(bb_pos + o)) : null;
    }

    /** Elements of a vector of tables (4-byte offsets); see {@link #vectorLength(int, int)}. */
    int vectorLength(int slot) {
        return vectorLength(slot, 4);
    }

    /**
     * Elements of the vector at {@code slot} (0 when absent), checked against the buffer: a damaged length is refused
     * before anyone allocates for it.
     *
     * @throws IllegalArgumentException when {@code n * elementBytes} bytes do not fit between the vector's start and
     *     the end of the buffer
     */
    int vectorLength(int slot, int elementBytes) {
        int o = field(slot);
        if (o == 0) {
            return 0;
        }
        int n = __vector_len(o);
        long start = __vector(o);
        if (n < 0 || start < 0 || start + (long) n * elementBytes > bb.limit()) {
            throw new IllegalArgumentException("damaged flatbuffer: a vector at byte " + start + " claims " + n
                    + " elements of " + elementBytes + " bytes, past the end of the " + bb.limit() + "-byte file");
        }
        return n;
    }

    /** The i-th table of a vector of tables. */
    FbTable vectorTable(int slot, int i) {
        int o = field(slot);
        int element = __vector(o) + i * 4;
        return new FbTable(bb, __indirect(element));
    }

    int[] intVector(int slot) {
        int n = vectorLength(slot, 4);
        int[] out = new int[n];
        if (n > 0) {
            int start = __vector(field(slot));
            for (int i = 0; i < n; i++) {
                out[i] = bb.getInt(start + 4 * i);
            }
        }
        return out;
    }

    int[] ushortVector(int slot) {
        int n = vectorLength(slot, 2);
        int[] out = new int[n];
        if (n > 0) {
            int start = __vector(field(slot));
            for (int i = 0; i < n; i++) {
                out[i] = bb.getShort(start + 2 * i) & 0xffff;
            }
        }
        return out;
    }

    int[] ubyteVectorAsInts(int slot) {
        int n = vectorLength(slot, 1);
        int[] out = new int[n];
        if (n > 0) {
            int start = __vector(field(slot));
            for (int i = 0; i < n; i++) {
                out[i] = bb.get(start + i) & 0xff;
            }
        }
        return out;
    }

    /** A little-endian view of a [ubyte] vector, or an empty buffer when the field is absent. */
    ByteBuffer byteVector(int slot) {
        int n = vectorLength(slot, 1);
        if (n == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        int start = __vector(field(slot));
        ByteBuffer view = bb.duplicate();
        view.position(start).limit(start + n);
        return view.slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
