package io.github.kslr.tools.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of a TFLite model (first subgraph) that the converter needs, read from the flatbuffer by field position
 * (slots as in TensorFlow's {@code tensorflow/lite/schema/schema.fbs}; the schema itself is not needed at run time).
 *
 * <p>Immutable after {@link #read}; tensor data are read-only views into the caller's byte array, which must not
 * change while the model is used. Safe to share between threads once built.
 */
public final class TfliteModel {
    /** TFLite {@code TensorType} values the converter handles. */
    public static final int FLOAT32 = 0;

    public static final int FLOAT16 = 1;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT64 = 4;
    public static final int INT8 = 9;

    /** A tensor of the subgraph. {@code data} is empty for activations; {@code sparsity} is null when dense. */
    public record Tensor(int index, String name, int[] shape, int type, ByteBuffer data, Sparsity sparsity) {
        public boolean isConstant() {
            return data.capacity() > 0;
        }

        public int elementCount() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** TFLite {@code SparsityParameters}: traversal order, block map and per-dimension metadata. */
    public record Sparsity(int[] traversalOrder, int[] blockMap, List<DimensionMetadata> dimensions) {}

    /** {@code format} 0 = DENSE (uses {@code denseSize}), 1 = SPARSE_CSR (uses segments and indices). */
    public record DimensionMetadata(int format, int denseSize, int[] segments, int[] indices) {}

    /** One operator: builtin code (or -1 with a custom code), tensor indices (-1 = optional input absent). */
    public record Operator(
            int index, int builtinCode, String customCode, int[] inputs, int[] outputs, FbTable options) {}

    private final List<Tensor> tensors;
    private final List<Operator> operators;
    private final int[] inputs;
    private final int[] outputs;

    private TfliteModel(List<Tensor> tensors, List<Operator> operators, int[] inputs, int[] outputs) {
        this.tensors = tensors;
        this.operators = operators;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(int index) {
        return tensors.get(index);
    }

    public List<Operator> operators() {
        return operators;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    /**
     * Parses a .tflite file. Only the first subgraph is read (the MediaPipe models have one).
     *
     * @throws IllegalArgumentException when the bytes are not a TFLite model ("TFL3" identifier), have no subgraph,
     *     or are damaged (an offset or a vector length pointing outside the file, an operator code index out of
     *     range): refused before anything is allocated for a length the file cannot hold
     */
    public static TfliteModel read(byte[] bytes) {
        if (bytes.length < 8 || bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3') {
            throw new IllegalArgumentException("not a TFLite model: the file identifier at bytes 4..7 is not TFL3");
        }
        try {
            return parse(bytes);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // An offset in a damaged file pointing outside it: flatbuffers reads by absolute index, so this is
            // where such damage surfaces.
            throw new IllegalArgumentException(
                    "damaged TFLite model: an offset points outside the " + bytes.length + "-byte file ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    private static TfliteModel parse(byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        FbTable model = FbTable.root(bb);
        // Model: 0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers.
        int nCodes = model.vectorLength(1);
        int[] builtin = new int[nCodes];
        String[] custom = new String[nCodes];
        for (int i = 0; i < nCodes; i++) {
            // OperatorCode: 0 deprecated_builtin_code (byte), 1 custom_code, 2 version, 3 builtin_code (int).
            FbTable code = model.vectorTable(1, i);
            int deprecated = code.getByte(0, 0);
            int full = code.getInt(3, 0);
            // Files from before builtin_code existed only set the byte; codes >= 127 only set the int.
            builtin[i] = Math.max(deprecated, full);
            custom[i] = code.getString(1);
        }
        if (model.vectorLength(2) < 1) {
            throw new IllegalArgumentException("the TFLite model has no subgraph");
        }
        int nBuffers = model.vectorLength(4);
        ByteBuffer[] buffers = new ByteBuffer[nBuffers];
        for (int i = 0; i < nBuffers; i++) {
            // Buffer: 0 data [ubyte], 1 offset (ulong), 2 size (ulong) - offset/size for models over 2 GB.
            FbTable buf = model.vectorTable(4, i);
            long offset = buf.getLong(1, 0);
            long size = buf.getLong(2, 0);
            if (offset > 1 && (size < 0 || offset > bytes.length || size > bytes.length - offset)) {
                throw new IllegalArgumentException("damaged TFLite model: buffer " + i + " claims " + size
                        + " bytes at offset " + offset + ", outside the " + bytes.length + "-byte file");
            }
            if (offset > 1) {
                ByteBuffer view = bb.duplicate();
                view.position((int) offset).limit((int) (offset + size));
                buffers[i] = view.slice().order(ByteOrder.LITTLE_ENDIAN);
            } else {
                buffers[i] = buf.byteVector(0);
            }
        }
        FbTable sub = model.vectorTable(2, 0);
        // SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name.
        int nTensors = sub.vectorLength(0);
        List<Tensor> tensors = new ArrayList<>(nTensors);
        for (int i = 0; i < nTensors; i++) {
            // Tensor: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization, 5 is_variable, 6 sparsity.
            FbTable t = sub.vectorTable(0, i);
            int buffer = t.getInt(2, 0);
            ByteBuffer data = buffer >= 0 && buffer < nBuffers ? buffers[buffer] : ByteBuffer.allocate(0);
            FbTable sp = t.getTable(6);
            tensors.add(new Tensor(
                    i, t.getString(3), t.intVector(0), t.getByte(1, 0), data, sp == null ? null : readSparsity(sp)));
        }
        int nOps = sub.vectorLength(3);
        List<Operator> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) {
            // Operator: 0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options.
            FbTable op = sub.vectorTable(3, i);
            int codeIndex = op.getInt(0, 0);
            if (codeIndex < 0 || codeIndex >= nCodes) {
                throw new IllegalArgumentException(
                        "damaged TFLite model: operator " + i + " uses operator code " + codeIndex + " of " + nCodes);
            }
            ops.add(new Operator(
                    i, builtin[codeIndex], custom[codeIndex], op.intVector(1), op.intVector(2), op.getTable(4)));
        }
        return new TfliteModel(
                Collections.unmodifiableList(tensors),
                Collections.unmodifiableList(ops),
                sub.intVector(1),
                sub.intVector(2));
    }

    private static Sparsity readSparsity(FbTable sp) {
        // SparsityParameters: 0 traversal_order, 1 block_map, 2 dim_metadata.
        int n = sp.vectorLength(2);
        List<DimensionMetadata> dims = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // DimensionMetadata: 0 format, 1 dense_size, 2/3 array_segments (type, value), 4/5 array_indices.
            FbTable d = sp.vectorTable(2, i);
            dims.add(new DimensionMetadata(
                    d.getByte(0, 0),
                    d.getInt(1, 0),
                    indexVector(d.getByte(2, 0), d.getTable(3)),
                    indexVector(d.getByte(4, 0), d.getTable(5))));
        }
        return new Sparsity(sp.intVector(0), sp.intVector(1), Collections.unmodifiableList(dims));
    }

    /** SparseIndexVector union: 1 Int32Vector, 2 Uint16Vector, 3 Uint8Vector; each a table with field 0 values. */
    private static int[] indexVector(int type, FbTable table) {
        if (table == null) {
            return new int[0];
        }
        switch (type) {
            case 1:
                return table.intVector(0);
            case 2:
                return table.ushortVector(0);
            case 3:
                return table.ubyteVectorAsInts(0);
            default:
                throw new IllegalArgumentException("unknown sparse index vector type " + type);
        }
    }
}
