package io.github.kslr.tools.tflite;

/**
 * The option tables of the operators the converter maps, with their fields named and numbered as in TensorFlow's
 * {@code tensorflow/lite/schema/schema.fbs} (the n-th field of a table is its slot n; only the fields the converter
 * uses are read). Each {@code read} takes the operator's {@code builtin_options} table. Where the converter accepts an
 * operator without one, {@code read(null)} gives the schema's defaults; the others need the table.
 */
final class BuiltinOptions {
    private BuiltinOptions() {}

    /**
     * {@code Conv2DOptions}: 0 padding, 1 stride_w, 2 stride_h, 3 fused_activation_function, 4/5 dilation w/h; and
     * {@code DepthwiseConv2DOptions}: the same fields, with 3 depth_multiplier (not needed: the weights' shape says it)
     * put before the activation, so the activation and dilations sit one slot later.
     */
    record Conv(Padding padding, int strideW, int strideH, Activation fusedActivation, int dilationW, int dilationH) {
        static Conv readConv2D(FbTable t) {
            return read(t, 3);
        }

        static Conv readDepthwiseConv2D(FbTable t) {
            return read(t, 4);
        }

        private static Conv read(FbTable t, int activationSlot) {
            return new Conv(
                    Padding.of(t.getByte(0, 0)),
                    t.getInt(1, 0),
                    t.getInt(2, 0),
                    Activation.of(t.getByte(activationSlot, 0)),
                    t.getInt(activationSlot + 1, 1),
                    t.getInt(activationSlot + 2, 1));
        }
    }

    /** {@code Pool2DOptions}: 0 padding, 1 stride_w, 2 stride_h, 3 filter_width, 4 filter_height, 5 activation. */
    record Pool2D(
            Padding padding, int strideW, int strideH, int filterWidth, int filterHeight, Activation fusedActivation) {
        static Pool2D read(FbTable t) {
            return new Pool2D(
                    Padding.of(t.getByte(0, 0)),
                    t.getInt(1, 0),
                    t.getInt(2, 0),
                    t.getInt(3, 0),
                    t.getInt(4, 0),
                    Activation.of(t.getByte(5, 0)));
        }
    }

    /**
     * {@code AddOptions} / {@code MulOptions} (same first field): 0 fused_activation_function. Absent: NONE.
     */
    record Arithmetic(Activation fusedActivation) {
        static Arithmetic read(FbTable t) {
            return new Arithmetic(Activation.of(t == null ? 0 : t.getByte(0, 0)));
        }
    }

    /**
     * {@code ConcatenationOptions}: 0 axis, 1 fused_activation_function (kept as its code: the converter rejects any
     * but NONE, naming the code).
     */
    record Concatenation(int axis, int fusedActivationCode) {
        static Concatenation read(FbTable t) {
            return new Concatenation(t.getInt(0, 0), t.getByte(1, 0));
        }
    }

    /** {@code ReducerOptions} (MEAN): 0 keep_dims. Absent: false. */
    record Reducer(boolean keepDims) {
        static Reducer read(FbTable t) {
            return new Reducer(t != null && t.getBool(0, false));
        }
    }

    /**
     * {@code FullyConnectedOptions}: 0 fused_activation_function, 1 weights_format (0 DEFAULT), 2 keep_num_dims.
     * Absent: defaults.
     */
    record FullyConnected(Activation fusedActivation, int weightsFormat, boolean keepNumDims) {
        static FullyConnected read(FbTable t) {
            return new FullyConnected(
                    Activation.of(t == null ? 0 : t.getByte(0, 0)),
                    t == null ? 0 : t.getByte(1, 0),
                    t != null && t.getBool(2, false));
        }
    }

    /**
     * {@code ResizeBilinearOptions}: 0/1 new_height/new_width (deprecated), 2 align_corners, 3 half_pixel_centers.
     * Absent: false, false.
     */
    record ResizeBilinear(boolean alignCorners, boolean halfPixelCenters) {
        static ResizeBilinear read(FbTable t) {
            return new ResizeBilinear(t != null && t.getBool(2, false), t != null && t.getBool(3, false));
        }
    }

    /** {@code DepthToSpaceOptions}: 0 block_size. */
    record DepthToSpace(int blockSize) {
        static DepthToSpace read(FbTable t) {
            return new DepthToSpace(t.getInt(0, 0));
        }
    }

    /**
     * {@code StridedSliceOptions}: 0 begin_mask, 1 end_mask, 2 ellipsis_mask, 3 new_axis_mask, 4 shrink_axis_mask,
     * 5 offset.
     */
    record StridedSlice(
            int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, boolean offset) {
        static StridedSlice read(FbTable t) {
            return new StridedSlice(
                    t.getInt(0, 0),
                    t.getInt(1, 0),
                    t.getInt(2, 0),
                    t.getInt(3, 0),
                    t.getInt(4, 0),
                    t.getBool(5, false));
        }
    }
}
