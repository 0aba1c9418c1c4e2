package io.github.kslr.tools.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * Operators on constants, done at conversion time: DEQUANTIZE (of fp16 weights: they stay fp16, see
 * {@link Conversion#constInput}) and DENSIFY (of sparse weights).
 */
final class ConstantOps {
    private ConstantOps() {}

    static void dequantize(Conversion c, int[] inputs, int out, FbTable options) {
        int in = inputs[0];
        Conversion.Const k = c.requireConst(in, "DEQUANTIZE input");
        if (k.sparsity() != null) {
            throw new UnsupportedOperationException("DEQUANTIZE of a sparse tensor (DENSIFY it first)");
        }
        if (k.f16() == null && k.f32() == null) {
            throw new UnsupportedOperationException("DEQUANTIZE of a non-float16 constant (TFLite type "
                    + c.model().tensor(in).type() + "): quantized integer weights are not supported");
        }
        // fp16 -> fp32 is exact; the data stay fp16 and become a FLOAT16 initializer + Cast when used.
        c.putConst(out, new Conversion.Const(out, k.shape(), k.f32(), k.f16(), null, null));
    }

    static void densify(Conversion c, int[] inputs, int out, FbTable options) {
        Conversion.Const k = c.requireConst(inputs[0], "DENSIFY input");
        if (k.sparsity() == null) {
            c.putConst(out, new Conversion.Const(out, k.shape(), k.f32(), k.f16(), k.i32(), null));
            return;
        }
        int[] map = denseIndexMap(k.shape(), k.sparsity());
        int n = Layout.elementCount(k.shape());
        if (k.f16() != null) {
            short[] dense = new short[n];
            for (int i = 0; i < map.length; i++) {
                dense[map[i]] = k.f16()[i];
            }
            c.putConst(out, new Conversion.Const(out, k.shape(), null, dense, null, null));
        } else if (k.f32() != null) {
            float[] dense = new float[n];
            for (int i = 0; i < map.length; i++) {
                dense[map[i]] = k.f32()[i];
            }
            c.putConst(out, new Conversion.Const(out, k.shape(), dense, null, null, null));
        } else {
            throw new UnsupportedOperationException("DENSIFY of a non-float tensor");
        }
    }

    /**
     * For the k-th stored value of a sparse tensor, its row-major index in the dense tensor (TFLite's sparse format:
     * dimensions visited in traversal order, DENSE ones by their size, SPARSE_CSR ones through segments + indices).
     */
    static int[] denseIndexMap(int[] shape, TfliteModel.Sparsity sp) {
        if (sp.blockMap().length > 0) {
            throw new UnsupportedOperationException("block-sparse tensors");
        }
        int rank = shape.length;
        int[] order = sp.traversalOrder().length == rank ? sp.traversalOrder() : identity(rank);
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        List<Integer> out = new ArrayList<>();
        walk(sp.dimensions(), order, strides, 0, 0, 0, out);
        int[] map = new int[out.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = out.get(i);
        }
        return map;
    }

    private static void walk(
            List<TfliteModel.DimensionMetadata> dims,
            int[] order,
            int[] strides,
            int level,
            int prev,
            int denseOffset,
            List<Integer> out) {
        if (level == dims.size()) {
            out.add(denseOffset);
            return;
        }
        TfliteModel.DimensionMetadata d = dims.get(level);
        int axis = order[level];
        if (d.format() == 0) {
            for (int i = 0; i < d.denseSize(); i++) {
                walk(dims, order, strides, level + 1, prev * d.denseSize() + i, denseOffset + i * strides[axis], out);
            }
        } else {
            for (int k = d.segments()[prev]; k < d.segments()[prev + 1]; k++) {
                walk(dims, order, strides, level + 1, k, denseOffset + d.indices()[k] * strides[axis], out);
            }
        }
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
