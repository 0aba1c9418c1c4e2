package io.github.kslr.tools.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes small single-subgraph TFLite models (fields by schema position, as {@link TfliteModel} reads them) so that
 * each operator can be run alone, on tiny tensors, through both LiteRT.js and the converter. Test-only.
 */
final class TfliteBuilder {
    private record TensorDef(String name, int[] shape, int type, byte[] data, SparseDef sparse) {}

    /**
     * A CSR-sparse last dimension: dims 0..r-2 dense, the last one SPARSE_CSR with uint8 segments and indices (as in
     * MediaPipe's pose_detection; values must be below 256).
     */
    record SparseDef(int[] segments, int[] indices) {}

    private record OpDef(
            int code, int optionsType, ToIntFunction<FlatBufferBuilder> options, int[] inputs, int[] outputs) {}

    private final List<TensorDef> tensors = new ArrayList<>();
    private final List<OpDef> ops = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();

    int input(String name, int... shape) {
        int t = tensor(name, shape);
        inputs.add(t);
        return t;
    }

    int tensor(String name, int... shape) {
        tensors.add(new TensorDef(name, shape, TfliteModel.FLOAT32, null, null));
        return tensors.size() - 1;
    }

    int constF32(String name, float[] values, int... shape) {
        return constF32(name, values, null, shape);
    }

    int constF32(String name, float[] values, SparseDef sparse, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        tensors.add(new TensorDef(name, shape, TfliteModel.FLOAT32, b.array(), sparse));
        return tensors.size() - 1;
    }

    int constF16(String name, short[] bits, int... shape) {
        return constF16(name, bits, null, shape);
    }

    int constF16(String name, short[] bits, SparseDef sparse, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(bits);
        tensors.add(new TensorDef(name, shape, TfliteModel.FLOAT16, b.array(), sparse));
        return tensors.size() - 1;
    }

    int constI32(String name, int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        tensors.add(new TensorDef(name, shape, TfliteModel.INT32, b.array(), null));
        return tensors.size() - 1;
    }

    /** Marks a float16 activation tensor type (the output of DENSIFY on fp16 data). */
    int tensorF16(String name, int... shape) {
        tensors.add(new TensorDef(name, shape, TfliteModel.FLOAT16, null, null));
        return tensors.size() - 1;
    }

    void op(int code, int optionsType, ToIntFunction<FlatBufferBuilder> options, int[] in, int... out) {
        ops.add(new OpDef(code, optionsType, options, in, out));
    }

    void op(BuiltinOperator op, int optionsType, ToIntFunction<FlatBufferBuilder> options, int[] in, int... out) {
        op(op.code(), optionsType, options, in, out);
    }

    void output(int t) {
        outputs.add(t);
    }

    byte[] build() {
        FlatBufferBuilder fb = new FlatBufferBuilder(1024);
        // Buffers: 0 is the empty sentinel, then one per constant tensor.
        List<Integer> bufferOffsets = new ArrayList<>();
        int[] tensorBuffer = new int[tensors.size()];
        fb.startTable(3);
        bufferOffsets.add(fb.endTable());
        for (int i = 0; i < tensors.size(); i++) {
            TensorDef t = tensors.get(i);
            if (t.data() == null) {
                tensorBuffer[i] = 0;
                continue;
            }
            fb.startVector(1, t.data().length, 16);
            for (int k = t.data().length - 1; k >= 0; k--) {
                fb.addByte(t.data()[k]);
            }
            int data = fb.endVector();
            fb.startTable(3);
            fb.addOffset(0, data, 0);
            bufferOffsets.add(fb.endTable());
            tensorBuffer[i] = bufferOffsets.size() - 1;
        }
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            TensorDef t = tensors.get(i);
            int shape = intVector(fb, t.shape());
            int name = fb.createString(t.name());
            int sparsity = t.sparse() == null ? 0 : sparsity(fb, t);
            fb.startTable(8);
            fb.addOffset(0, shape, 0);
            fb.addByte(1, (byte) t.type(), -1); // always written (FLOAT32 = 0 is the default)
            fb.addInt(2, tensorBuffer[i], -1);
            fb.addOffset(3, name, 0);
            if (sparsity != 0) {
                fb.addOffset(6, sparsity, 0);
            }
            tensorOffsets[i] = fb.endTable();
        }
        List<Integer> codes = new ArrayList<>();
        int[] opOffsets = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpDef op = ops.get(i);
            if (!codes.contains(op.code())) {
                codes.add(op.code());
            }
            int in = intVector(fb, op.inputs());
            int out = intVector(fb, op.outputs());
            int options = op.options() == null ? 0 : op.options().applyAsInt(fb);
            fb.startTable(5);
            fb.addInt(0, codes.indexOf(op.code()), -1);
            fb.addOffset(1, in, 0);
            fb.addOffset(2, out, 0);
            if (options != 0) {
                fb.addByte(3, (byte) op.optionsType(), -1);
                fb.addOffset(4, options, 0);
            }
            opOffsets[i] = fb.endTable();
        }
        int tensorsVec = fb.createVectorOfTables(tensorOffsets);
        int inputsVec =
                intVector(fb, inputs.stream().mapToInt(Integer::intValue).toArray());
        int outputsVec =
                intVector(fb, outputs.stream().mapToInt(Integer::intValue).toArray());
        int opsVec = fb.createVectorOfTables(opOffsets);
        int subName = fb.createString("main");
        fb.startTable(5);
        fb.addOffset(0, tensorsVec, 0);
        fb.addOffset(1, inputsVec, 0);
        fb.addOffset(2, outputsVec, 0);
        fb.addOffset(3, opsVec, 0);
        fb.addOffset(4, subName, 0);
        int subgraph = fb.endTable();
        int[] codeOffsets = new int[codes.size()];
        for (int i = 0; i < codes.size(); i++) {
            int c = codes.get(i);
            fb.startTable(4);
            fb.addByte(0, (byte) Math.min(c, 127), -1);
            fb.addInt(2, 1, -1);
            fb.addInt(3, c, -1);
            codeOffsets[i] = fb.endTable();
        }
        int codesVec = fb.createVectorOfTables(codeOffsets);
        int subgraphs = fb.createVectorOfTables(new int[] {subgraph});
        int description = fb.createString("kslr-tools operator test");
        int buffersVec = fb.createVectorOfTables(
                bufferOffsets.stream().mapToInt(Integer::intValue).toArray());
        fb.startTable(5);
        fb.addInt(0, 3, -1);
        fb.addOffset(1, codesVec, 0);
        fb.addOffset(2, subgraphs, 0);
        fb.addOffset(3, description, 0);
        fb.addOffset(4, buffersVec, 0);
        int model = fb.endTable();
        fb.finish(model, "TFL3");
        return fb.sizedByteArray();
    }

    private static int sparsity(FlatBufferBuilder fb, TensorDef t) {
        int rank = t.shape().length;
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            if (d < rank - 1) {
                fb.startTable(6);
                fb.addByte(0, (byte) 0, -1);
                fb.addInt(1, t.shape()[d], -1);
                dims[d] = fb.endTable();
            } else {
                int segValues = ubyteVector(fb, t.sparse().segments());
                fb.startTable(1);
                fb.addOffset(0, segValues, 0);
                int seg = fb.endTable();
                int idxValues = ubyteVector(fb, t.sparse().indices());
                fb.startTable(1);
                fb.addOffset(0, idxValues, 0);
                int idx = fb.endTable();
                fb.startTable(6);
                fb.addByte(0, (byte) 1, -1);
                fb.addByte(2, (byte) 3, -1); // Uint8Vector
                fb.addOffset(3, seg, 0);
                fb.addByte(4, (byte) 3, -1);
                fb.addOffset(5, idx, 0);
                dims[d] = fb.endTable();
            }
        }
        int order = intVector(fb, java.util.stream.IntStream.range(0, rank).toArray());
        int dimVec = fb.createVectorOfTables(dims);
        fb.startTable(3);
        fb.addOffset(0, order, 0);
        fb.addOffset(2, dimVec, 0);
        return fb.endTable();
    }

    static int ubyteVector(FlatBufferBuilder fb, int[] v) {
        fb.startVector(1, v.length, 1);
        for (int i = v.length - 1; i >= 0; i--) {
            if (v[i] < 0 || v[i] > 255) {
                throw new IllegalArgumentException("uint8 index " + v[i]);
            }
            fb.addByte((byte) v[i]);
        }
        return fb.endVector();
    }

    static int intVector(FlatBufferBuilder fb, int[] v) {
        fb.startVector(4, v.length, 4);
        for (int i = v.length - 1; i >= 0; i--) {
            fb.addInt(v[i]);
        }
        return fb.endVector();
    }
}
