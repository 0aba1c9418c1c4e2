package io.github.kslr.tools.tflite;

import java.util.Arrays;
import java.util.List;

/** Shapes and axis orders: TFLite's NHWC, the converted graph's NCHW, and index arithmetic over them. */
final class Layout {
    /** The permutation NHWC -> NCHW. */
    static final int[] TO_NCHW = {0, 3, 1, 2};
    /** The permutation NCHW -> NHWC. */
    static final int[] TO_NHWC = {0, 2, 3, 1};
    /** NHWC axis -> NCHW axis. */
    static final int[] AXIS_TO_NCHW = {0, 2, 3, 1};

    private Layout() {}

    static int elementCount(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A constant's shape right-aligned to rank 4 (numpy broadcasting), for an NCHW operand. */
    static int[] rank4(int[] shape) {
        if (shape.length > 4) {
            throw new UnsupportedOperationException("constant of rank " + shape.length);
        }
        int[] s = {1, 1, 1, 1};
        System.arraycopy(shape, 0, s, 4 - shape.length, shape.length);
        return s;
    }

    static int[] permute(int[] shape, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i]];
        }
        return out;
    }

    /** For each element of the permuted array (row-major), the index of its source element. */
    static int[] permutationIndex(int[] shape, int[] perm) {
        int rank = shape.length;
        int[] srcStrides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            srcStrides[i] = stride;
            stride *= shape[i];
        }
        int[] outShape = permute(shape, perm);
        int n = stride;
        int[] index = new int[n];
        int[] coord = new int[rank];
        for (int k = 0; k < n; k++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += coord[i] * srcStrides[perm[i]];
            }
            index[k] = src;
            for (int i = rank - 1; i >= 0; i--) {
                if (++coord[i] < outShape[i]) {
                    break;
                }
                coord[i] = 0;
            }
        }
        return index;
    }

    /** A TFLite shape as ONNX dimensions. */
    static long[] dims(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /** TFLite's shape without its first (batch) dimension, which the graph leaves free. */
    static long[] tail(int[] shape) {
        return shape.length == 0
                ? new long[0]
                : Arrays.stream(shape, 1, shape.length).asLongStream().toArray();
    }

    static long[] toArray(List<Long> l) {
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }
}
