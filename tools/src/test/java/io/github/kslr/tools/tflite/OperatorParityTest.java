package io.github.kslr.tools.tflite;

import static io.github.kslr.tools.tflite.BuiltinOperator.ADD;
import static io.github.kslr.tools.tflite.BuiltinOperator.CONCATENATION;
import static io.github.kslr.tools.tflite.BuiltinOperator.CONV_2D;
import static io.github.kslr.tools.tflite.BuiltinOperator.DENSIFY;
import static io.github.kslr.tools.tflite.BuiltinOperator.DEPTHWISE_CONV_2D;
import static io.github.kslr.tools.tflite.BuiltinOperator.DEPTH_TO_SPACE;
import static io.github.kslr.tools.tflite.BuiltinOperator.DEQUANTIZE;
import static io.github.kslr.tools.tflite.BuiltinOperator.FULLY_CONNECTED;
import static io.github.kslr.tools.tflite.BuiltinOperator.LOGISTIC;
import static io.github.kslr.tools.tflite.BuiltinOperator.MAX_POOL_2D;
import static io.github.kslr.tools.tflite.BuiltinOperator.MEAN;
import static io.github.kslr.tools.tflite.BuiltinOperator.MUL;
import static io.github.kslr.tools.tflite.BuiltinOperator.PAD;
import static io.github.kslr.tools.tflite.BuiltinOperator.PRELU;
import static io.github.kslr.tools.tflite.BuiltinOperator.RELU;
import static io.github.kslr.tools.tflite.BuiltinOperator.RELU6;
import static io.github.kslr.tools.tflite.BuiltinOperator.RELU_N1_TO_1;
import static io.github.kslr.tools.tflite.BuiltinOperator.RESHAPE;
import static io.github.kslr.tools.tflite.BuiltinOperator.RESIZE_BILINEAR;
import static io.github.kslr.tools.tflite.BuiltinOperator.STRIDED_SLICE;
import static io.github.kslr.tools.tflite.BuiltinOperator.TANH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each operator (and option) the converter maps, converted alone in a tiny TFLite model written now, gives LiteRT.js's
 * output under ONNX Runtime. Single operators must agree far tighter than whole models: scaled error <= 1e-5.
 */
class OperatorParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorParityTest.class);
    private static final double OP_TOLERANCE = 1e-5;

    // Builtin option union types (TFLite schema BuiltinOptions).
    private static final int CONV_OPTS = 1;
    private static final int DW_OPTS = 2;
    private static final int POOL_OPTS = 5;
    private static final int FC_OPTS = 8;
    private static final int CONCAT_OPTS = 10;
    private static final int ADD_OPTS = 11;
    private static final int RESIZE_OPTS = 15;
    private static final int RESHAPE_OPTS = 17;
    private static final int MUL_OPTS = 21;
    private static final int PAD_OPTS = 22;
    private static final int REDUCER_OPTS = 27;
    private static final int SLICE_OPTS = 32;
    private static final int DEQUANT_OPTS = 38;
    private static final int D2S_OPTS = 94;
    private static final int DENSIFY_OPTS = 99;
    private static final int SAME = 0;
    private static final int VALID = 1;
    private static final int NO_DEFAULT = Integer.MIN_VALUE;

    /** A case: a model with one input, its input shape, and the operator names it exercises. */
    private record Case(String name, byte[] tflite, int[] inputShape) {}

    private static Case make(String name, int[] inputShape, Consumer<TfliteBuilder> body) {
        TfliteBuilder b = new TfliteBuilder();
        b.input("x", inputShape);
        body.accept(b);
        return new Case(name, b.build(), inputShape);
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    private static float[] rnd(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((RANDOM.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /** Random float16 bit patterns of magnitude 2^-4 .. 2^0 (exactly representable; no conversion needed). */
    private static short[] rndF16(int n) {
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            int sign = RANDOM.nextBoolean() ? 0x8000 : 0;
            int exp = 11 + RANDOM.nextInt(5); // biased exponent 11..15
            v[i] = (short) (sign | exp << 10 | RANDOM.nextInt(1024));
        }
        return v;
    }

    private static int n(int... shape) {
        return Layout.elementCount(shape);
    }

    private static ToIntFn conv(int padding, int sw, int sh, int act, int dw, int dh) {
        return fb -> {
            fb.startTable(7);
            fb.addByte(0, (byte) padding, -1);
            fb.addInt(1, sw, NO_DEFAULT);
            fb.addInt(2, sh, NO_DEFAULT);
            fb.addByte(3, (byte) act, -1);
            fb.addInt(4, dw, NO_DEFAULT);
            fb.addInt(5, dh, NO_DEFAULT);
            return fb.endTable();
        };
    }

    private static ToIntFn depthwise(int padding, int sw, int sh, int mult, int act) {
        return fb -> {
            fb.startTable(7);
            fb.addByte(0, (byte) padding, -1);
            fb.addInt(1, sw, NO_DEFAULT);
            fb.addInt(2, sh, NO_DEFAULT);
            fb.addInt(3, mult, NO_DEFAULT);
            fb.addByte(4, (byte) act, -1);
            fb.addInt(5, 1, NO_DEFAULT);
            fb.addInt(6, 1, NO_DEFAULT);
            return fb.endTable();
        };
    }

    private static ToIntFn pool(int padding, int sw, int sh, int fw, int fh, int act) {
        return fb -> {
            fb.startTable(6);
            fb.addByte(0, (byte) padding, -1);
            fb.addInt(1, sw, NO_DEFAULT);
            fb.addInt(2, sh, NO_DEFAULT);
            fb.addInt(3, fw, NO_DEFAULT);
            fb.addInt(4, fh, NO_DEFAULT);
            fb.addByte(5, (byte) act, -1);
            return fb.endTable();
        };
    }

    private static ToIntFn act(int act) {
        return fb -> {
            fb.startTable(2);
            fb.addByte(0, (byte) act, -1);
            return fb.endTable();
        };
    }

    private static ToIntFn concat(int axis, int act) {
        return fb -> {
            fb.startTable(2);
            fb.addInt(0, axis, NO_DEFAULT);
            fb.addByte(1, (byte) act, 0);
            return fb.endTable();
        };
    }

    private static ToIntFn reducer(boolean keepDims) {
        return fb -> {
            fb.startTable(1);
            fb.addBoolean(0, keepDims, !keepDims);
            return fb.endTable();
        };
    }

    private static ToIntFn stridedSlice(int beginMask, int endMask) {
        return fb -> {
            fb.startTable(6);
            fb.addInt(0, beginMask, 0);
            fb.addInt(1, endMask, 0);
            return fb.endTable();
        };
    }

    private static ToIntFn depthToSpace(int block) {
        return fb -> {
            fb.startTable(1);
            fb.addInt(0, block, NO_DEFAULT);
            return fb.endTable();
        };
    }

    private static ToIntFn empty() {
        return fb -> {
            fb.startTable(1);
            return fb.endTable();
        };
    }

    interface ToIntFn extends java.util.function.ToIntFunction<FlatBufferBuilder> {}

    /** conv + bias with the given geometry; weights fp32. */
    private static Case convCase(
            String name,
            int h,
            int w,
            int c,
            int o,
            int k,
            int stride,
            int padding,
            int act,
            int outH,
            int outW,
            int dil) {
        return make(name, new int[] {1, h, w, c}, b -> {
            int wt = b.constF32("w", rnd(n(o, k, k, c), 0.5), o, k, k, c);
            int bias = b.constF32("b", rnd(o, 0.5), o);
            int y = b.tensor("y", 1, outH, outW, o);
            b.op(CONV_2D, CONV_OPTS, conv(padding, stride, stride, act, dil, dil), new int[] {0, wt, bias}, y);
            b.output(y);
        });
    }

    private static Case dwCase(
            String name, int h, int w, int c, int mult, int k, int stride, int padding, int act, int outH, int outW) {
        return make(name, new int[] {1, h, w, c}, b -> {
            int wt = b.constF32("w", rnd(n(1, k, k, c * mult), 0.5), 1, k, k, c * mult);
            int bias = b.constF32("b", rnd(c * mult, 0.5), c * mult);
            int y = b.tensor("y", 1, outH, outW, c * mult);
            b.op(DEPTHWISE_CONV_2D, DW_OPTS, depthwise(padding, stride, stride, mult, act), new int[] {0, wt, bias}, y);
            b.output(y);
        });
    }

    private static Case resizeCase(String name, int h, int w, int oh, int ow, boolean alignCorners, boolean halfPixel) {
        return make(name, new int[] {1, h, w, 3}, b -> {
            int size = b.constI32("size", new int[] {oh, ow}, 2);
            int y = b.tensor("y", 1, oh, ow, 3);
            b.op(
                    RESIZE_BILINEAR,
                    RESIZE_OPTS,
                    fb -> {
                        fb.startTable(4);
                        fb.addBoolean(2, alignCorners, !alignCorners);
                        fb.addBoolean(3, halfPixel, !halfPixel);
                        return fb.endTable();
                    },
                    new int[] {0, size},
                    y);
            b.output(y);
        });
    }

    private static Case meanCase(String name, int[] inputShape, boolean keepDims, int... outShape) {
        return make(name, inputShape, b -> {
            int axes = b.constI32("axes", new int[] {1, 2}, 2);
            int y = b.tensor("y", outShape);
            b.op(MEAN, REDUCER_OPTS, reducer(keepDims), new int[] {0, axes}, y);
            b.output(y);
        });
    }

    /** A rank-4 STRIDED_SLICE with constant begin, end and strides. */
    private static Case stridedSliceCase(
            String name,
            int[] inputShape,
            int[] begin,
            int[] end,
            int[] strides,
            int beginMask,
            int endMask,
            int[] outShape) {
        return make(name, inputShape, b -> {
            int bt = b.constI32("b", begin, 4);
            int et = b.constI32("e", end, 4);
            int st = b.constI32("s", strides, 4);
            int y = b.tensor("y", outShape);
            b.op(STRIDED_SLICE, SLICE_OPTS, stridedSlice(beginMask, endMask), new int[] {0, bt, et, st}, y);
            b.output(y);
        });
    }

    private static Case unaryCase(String name, BuiltinOperator code) {
        return make(name, new int[] {1, 5, 4, 3}, b -> {
            int y = b.tensor("y", 1, 5, 4, 3);
            b.op(code, 0, null, new int[] {0}, y);
            b.output(y);
        });
    }

    /** Sparse (CSR) 1x1-conv weights, DENSIFY'd (and DEQUANTIZE'd when fp16) into a CONV_2D, as in pose_detection. */
    private static Case densifyCase(boolean fp16) {
        String name = "DENSIFY sparse " + (fp16 ? "fp16 weights + DEQUANTIZE" : "fp32 weights") + " into 1x1 CONV_2D";
        return make(name, new int[] {1, 3, 3, 8}, b -> {
            // 6 output channels x 8 inputs; each row keeps a pseudo-random subset of columns.
            int o = 6;
            int in = 8;
            List<Integer> seg = new ArrayList<>(List.of(0));
            List<Integer> idx = new ArrayList<>();
            for (int r = 0; r < o; r++) {
                for (int col = 0; col < in; col++) {
                    if ((r * 7 + col * 3) % 4 == 0 || col == r) {
                        idx.add(col);
                    }
                }
                seg.add(idx.size());
            }
            TfliteBuilder.SparseDef sparse = new TfliteBuilder.SparseDef(
                    seg.stream().mapToInt(Integer::intValue).toArray(),
                    idx.stream().mapToInt(Integer::intValue).toArray());
            int w;
            int bias;
            if (fp16) {
                int b16 = b.constF16("b16", rndF16(o), o);
                bias = b.tensor("b", o);
                b.op(DEQUANTIZE, DEQUANT_OPTS, empty(), new int[] {b16}, bias);
                int ws = b.constF16("w_sparse", rndF16(idx.size()), sparse, o, 1, 1, in);
                int wd = b.tensorF16("w_dense16", o, 1, 1, in);
                b.op(DENSIFY, DENSIFY_OPTS, empty(), new int[] {ws}, wd);
                w = b.tensor("w", o, 1, 1, in);
                b.op(DEQUANTIZE, DEQUANT_OPTS, empty(), new int[] {wd}, w);
            } else {
                int ws = b.constF32("w_sparse", rnd(idx.size(), 1), sparse, o, 1, 1, in);
                w = b.tensor("w", o, 1, 1, in);
                b.op(DENSIFY, DENSIFY_OPTS, empty(), new int[] {ws}, w);
                bias = b.constF32("b", rnd(o, 0.5), o);
            }
            int y = b.tensor("y", 1, 3, 3, o);
            b.op(CONV_2D, CONV_OPTS, conv(VALID, 1, 1, 0, 1, 1), new int[] {0, w, bias}, y);
            b.output(y);
        });
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(convCase("CONV_2D 3x3 s1 SAME +RELU6", 6, 6, 3, 4, 3, 1, SAME, 3, 6, 6, 1));
        c.add(convCase("CONV_2D 3x3 s2 SAME even input (asymmetric pad)", 8, 8, 3, 4, 3, 2, SAME, 0, 4, 4, 1));
        c.add(convCase("CONV_2D 5x5 s2 SAME odd input +RELU", 7, 7, 2, 3, 5, 2, SAME, 1, 4, 4, 1));
        c.add(convCase("CONV_2D 1x1 s1 VALID +RELU_N1_TO_1", 4, 4, 5, 6, 1, 1, VALID, 2, 4, 4, 1));
        c.add(convCase("CONV_2D 2x2 VALID to 1x1", 2, 2, 6, 7, 2, 1, VALID, 0, 1, 1, 1));
        c.add(convCase("CONV_2D 3x3 stride 3 VALID", 6, 6, 2, 3, 3, 3, VALID, 0, 2, 2, 1));
        c.add(convCase("CONV_2D 3x3 dilation 2 SAME", 7, 7, 2, 3, 3, 1, SAME, 0, 7, 7, 2));
        c.add(dwCase("DEPTHWISE_CONV_2D 3x3 s1 SAME +RELU6", 6, 6, 4, 1, 3, 1, SAME, 3, 6, 6));
        c.add(dwCase("DEPTHWISE_CONV_2D 3x3 s2 SAME even input", 8, 8, 3, 1, 3, 2, SAME, 0, 4, 4));
        c.add(dwCase("DEPTHWISE_CONV_2D 5x5 s2 VALID", 9, 9, 2, 1, 5, 2, VALID, 0, 3, 3));
        c.add(dwCase("DEPTHWISE_CONV_2D 1x1 depth multiplier 2", 3, 3, 3, 2, 1, 1, VALID, 0, 3, 3));
        c.add(make("ADD two activations +RELU6", new int[] {1, 4, 3, 5}, b -> {
            int relu = b.tensor("r", 1, 4, 3, 5);
            b.op(RELU, 0, null, new int[] {0}, relu);
            int y = b.tensor("y", 1, 4, 3, 5);
            b.op(ADD, ADD_OPTS, act(3), new int[] {0, relu}, y);
            b.output(y);
        }));
        c.add(make("ADD per-channel constant", new int[] {1, 4, 3, 5}, b -> {
            int k = b.constF32("k", rnd(5, 2), 5);
            int y = b.tensor("y", 1, 4, 3, 5);
            b.op(ADD, ADD_OPTS, act(0), new int[] {0, k}, y);
            b.output(y);
        }));
        c.add(make("MUL by constant [1,1,1,C] +RELU", new int[] {1, 3, 3, 4}, b -> {
            int k = b.constF32("k", rnd(4, 2), 1, 1, 1, 4);
            int y = b.tensor("y", 1, 3, 3, 4);
            b.op(MUL, MUL_OPTS, act(1), new int[] {0, k}, y);
            b.output(y);
        }));
        c.add(make("MUL by scalar on a rank-2 tensor", new int[] {1, 12}, b -> {
            int k = b.constF32("k", new float[] {0.25f}, 1);
            int y = b.tensor("y", 1, 12);
            b.op(MUL, MUL_OPTS, act(0), new int[] {0, k}, y);
            b.output(y);
        }));
        c.add(make("PAD spatial (asymmetric)", new int[] {1, 4, 5, 3}, b -> {
            int p = b.constI32("p", new int[] {0, 0, 1, 2, 2, 1, 0, 0}, 4, 2);
            int y = b.tensor("y", 1, 7, 8, 3);
            b.op(PAD, PAD_OPTS, empty(), new int[] {0, p}, y);
            b.output(y);
        }));
        c.add(make("PAD channels (BlazeBlock)", new int[] {1, 3, 3, 4}, b -> {
            int p = b.constI32("p", new int[] {0, 0, 0, 0, 0, 0, 0, 5}, 4, 2);
            int y = b.tensor("y", 1, 3, 3, 9);
            b.op(PAD, PAD_OPTS, empty(), new int[] {0, p}, y);
            b.output(y);
        }));
        c.add(make("MAX_POOL_2D 2x2 s2 VALID", new int[] {1, 6, 6, 3}, b -> {
            int y = b.tensor("y", 1, 3, 3, 3);
            b.op(MAX_POOL_2D, POOL_OPTS, pool(VALID, 2, 2, 2, 2, 0), new int[] {0}, y);
            b.output(y);
        }));
        c.add(make("MAX_POOL_2D 2x2 s2 SAME odd input", new int[] {1, 5, 5, 3}, b -> {
            int y = b.tensor("y", 1, 3, 3, 3);
            b.op(MAX_POOL_2D, POOL_OPTS, pool(SAME, 2, 2, 2, 2, 0), new int[] {0}, y);
            b.output(y);
        }));
        c.add(make("MAX_POOL_2D 3x3 s1 SAME +RELU6", new int[] {1, 4, 4, 2}, b -> {
            int y = b.tensor("y", 1, 4, 4, 2);
            b.op(MAX_POOL_2D, POOL_OPTS, pool(SAME, 1, 1, 3, 3, 3), new int[] {0}, y);
            b.output(y);
        }));
        c.add(make("RESHAPE NHWC to [1,N,K]", new int[] {1, 4, 4, 6}, b -> {
            int s = b.constI32("s", new int[] {1, 48, 2}, 3);
            int y = b.tensor("y", 1, 48, 2);
            b.op(
                    RESHAPE,
                    RESHAPE_OPTS,
                    fb -> {
                        int v = TfliteBuilder.intVector(fb, new int[] {1, 48, 2});
                        fb.startTable(1);
                        fb.addOffset(0, v, 0);
                        return fb.endTable();
                    },
                    new int[] {0, s},
                    y);
            b.output(y);
        }));
        c.add(make("CONCATENATION channels", new int[] {1, 3, 4, 2}, b -> {
            int t = b.tensor("t", 1, 3, 4, 2);
            b.op(LOGISTIC, 0, null, new int[] {0}, t);
            int y = b.tensor("y", 1, 3, 4, 4);
            b.op(CONCATENATION, CONCAT_OPTS, concat(3, 0), new int[] {0, t}, y);
            b.output(y);
        }));
        c.add(make("CONCATENATION rank 3 axis 1 after RESHAPE", new int[] {1, 2, 2, 6}, b -> {
            int s1 = b.constI32("s1", new int[] {1, 8, 3}, 3);
            int r1 = b.tensor("r1", 1, 8, 3);
            b.op(RESHAPE, 0, null, new int[] {0, s1}, r1);
            int p = b.tensor("p", 1, 2, 2, 6);
            b.op(RELU, 0, null, new int[] {0}, p);
            int r2 = b.tensor("r2", 1, 8, 3);
            b.op(RESHAPE, 0, null, new int[] {p, s1}, r2);
            int y = b.tensor("y", 1, 16, 3);
            b.op(CONCATENATION, CONCAT_OPTS, concat(1, 0), new int[] {r1, r2}, y);
            b.output(y);
        }));
        c.add(make("PRELU per-channel alpha [1,1,C]", new int[] {1, 4, 4, 3}, b -> {
            int a = b.constF32("a", rnd(3, 0.5), 1, 1, 3);
            int y = b.tensor("y", 1, 4, 4, 3);
            b.op(PRELU, 0, null, new int[] {0, a}, y);
            b.output(y);
        }));
        c.add(make("PRELU alpha [W,C], varying over the image", new int[] {1, 3, 4, 2}, b -> {
            int a = b.constF32("a", rnd(8, 1.5), 4, 2);
            int y = b.tensor("y", 1, 3, 4, 2);
            b.op(PRELU, 0, null, new int[] {0, a}, y);
            b.output(y);
        }));
        c.add(unaryCase("RELU", RELU));
        c.add(unaryCase("RELU6", RELU6));
        c.add(unaryCase("RELU_N1_TO_1", RELU_N1_TO_1));
        c.add(unaryCase("TANH", TANH));
        c.add(unaryCase("LOGISTIC", LOGISTIC));
        c.add(meanCase("MEAN axes [1,2] keep_dims=false", new int[] {1, 5, 6, 4}, false, 1, 4));
        c.add(meanCase("MEAN axes [1,2] keep_dims=true", new int[] {1, 3, 3, 2}, true, 1, 1, 1, 2));
        c.add(make("FULLY_CONNECTED rank 2 +RELU", new int[] {1, 10}, b -> {
            int w = b.constF32("w", rnd(6 * 10, 0.5), 6, 10);
            int bias = b.constF32("b", rnd(6, 0.5), 6);
            int y = b.tensor("y", 1, 6);
            b.op(FULLY_CONNECTED, FC_OPTS, act(1), new int[] {0, w, bias}, y);
            b.output(y);
        }));
        c.add(make("FULLY_CONNECTED from a 4-D tensor, no bias", new int[] {1, 2, 3, 2}, b -> {
            int w = b.constF32("w", rnd(5 * 12, 0.5), 5, 12);
            int y = b.tensor("y", 1, 5);
            b.op(FULLY_CONNECTED, FC_OPTS, act(0), new int[] {0, w, -1}, y);
            b.output(y);
        }));
        c.add(resizeCase("RESIZE_BILINEAR x2 half_pixel_centers", 4, 5, 8, 10, false, true));
        c.add(resizeCase("RESIZE_BILINEAR x2 align_corners", 4, 4, 8, 8, true, false));
        c.add(resizeCase("RESIZE_BILINEAR 128x128 to 256x256 half_pixel_centers", 128, 128, 256, 256, false, true));
        c.add(resizeCase("RESIZE_BILINEAR x2 asymmetric", 3, 4, 6, 8, false, false));
        c.add(make("DEPTH_TO_SPACE block 2", new int[] {1, 3, 2, 8}, b -> {
            int y = b.tensor("y", 1, 6, 4, 2);
            b.op(DEPTH_TO_SPACE, D2S_OPTS, depthToSpace(2), new int[] {0}, y);
            b.output(y);
        }));
        c.add(stridedSliceCase(
                "STRIDED_SLICE channels 1..4",
                new int[] {1, 3, 3, 6},
                new int[] {0, 0, 0, 1},
                new int[] {1, 3, 3, 4},
                new int[] {1, 1, 1, 1},
                0,
                0,
                new int[] {1, 3, 3, 3}));
        c.add(stridedSliceCase(
                "STRIDED_SLICE rows step 2 with begin/end masks",
                new int[] {1, 6, 4, 2},
                new int[] {0, 1, 0, 0},
                new int[] {0, 6, 0, 0},
                new int[] {1, 2, 1, 1},
                0b1101,
                0b1101,
                new int[] {1, 3, 4, 2}));
        c.add(make("DEQUANTIZE fp16 weights into CONV_2D", new int[] {1, 4, 4, 3}, b -> {
            int w16 = b.constF16("w16", rndF16(n(4, 3, 3, 3)), 4, 3, 3, 3);
            int b16 = b.constF16("b16", rndF16(4), 4);
            int w = b.tensor("w", 4, 3, 3, 3);
            int bias = b.tensor("b", 4);
            b.op(DEQUANTIZE, DEQUANT_OPTS, empty(), new int[] {w16}, w);
            b.op(DEQUANTIZE, DEQUANT_OPTS, empty(), new int[] {b16}, bias);
            int y = b.tensor("y", 1, 4, 4, 4);
            b.op(CONV_2D, CONV_OPTS, conv(SAME, 1, 1, 0, 1, 1), new int[] {0, w, bias}, y);
            b.output(y);
        }));
        c.add(densifyCase(true));
        c.add(densifyCase(false));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> eachOperatorMatchesLiteRt() throws Exception {
        LiteRtReference ref = Parity.reference();
        List<Case> cases = cases();
        List<LiteRtReference.Job> jobs = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (Case c : cases) {
            float[] x = rnd(n(c.inputShape()), 3.0);
            inputs.add(x);
            jobs.add(new LiteRtReference.Job(c.tflite(), List.of(x), 0, 0));
        }
        List<LiteRtReference.Result> expected = ref.run(jobs);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            float[] x = inputs.get(i);
            LiteRtReference.Result r = expected.get(i);
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                byte[] onnx = TfliteToOnnx.convert(
                                TfliteModel.read(c.tflite()), new TfliteToOnnx.Options("op", "", Map.of()))
                        .toByteArray();
                long[] shape = new long[c.inputShape().length];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = c.inputShape()[k];
                }
                try (OrtRunner ort = new OrtRunner(onnx, 1)) {
                    Map<String, float[]> got = ort.run("x", x, shape);
                    LiteRtReference.Output want = r.outputs().get("y");
                    Parity.Error e = Parity.error(got.get("y"), want.values());
                    LOG.info("{}: max |err| {} max scaled {}", c.name(), e.maxAbs(), e.maxScaled());
                    if (System.getenv("KSLR_DEBUG_OPS") != null && e.maxScaled() > OP_TOLERANCE) {
                        java.nio.file.Path d = java.nio.file.Paths.get(
                                "target", "op-debug", c.name().replaceAll("\\W+", "_"));
                        java.nio.file.Files.createDirectories(d);
                        java.nio.file.Files.write(d.resolve("model.tflite"), c.tflite());
                        java.nio.file.Files.write(d.resolve("model.onnx"), onnx);
                        LiteRtReference.writeFloats(d.resolve("x.f32"), x);
                        LiteRtReference.writeFloats(d.resolve("onnx.f32"), got.get("y"));
                        LiteRtReference.writeFloats(d.resolve("tflite.f32"), want.values());
                    }
                    assertTrue(
                            e.maxScaled() <= OP_TOLERANCE,
                            c.name() + ": scaled error " + e.maxScaled()
                                    + " at " + e.worstIndex() + " (onnx " + got.get("y")[e.worstIndex()] + ", tflite "
                                    + want.values()[e.worstIndex()] + ")");
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void unsupportedOperatorFailsWithItsName() {
        TfliteBuilder b = new TfliteBuilder();
        b.input("x", 1, 4);
        int y = b.tensor("y", 1, 4);
        b.op(25, 0, null, new int[] {0}, y); // SOFTMAX: not used by the MediaPipe models
        b.output(y);
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class,
                () -> TfliteToOnnx.convert(TfliteModel.read(b.build()), new TfliteToOnnx.Options("m", "", Map.of())));
        assertTrue(e.getMessage().contains("SOFTMAX"), e.getMessage());
    }

    /** LiteRT ignores these fused activations (measured), so converting them either way would be a guess. */
    @Test
    void fusedActivationsTfliteIgnoresAreRejected() {
        Case tanh = convCase("tanh", 2, 2, 3, 2, 2, 1, VALID, 4, 1, 1, 1);
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class,
                () -> TfliteToOnnx.convert(
                        TfliteModel.read(tanh.tflite()), new TfliteToOnnx.Options("m", "", Map.of())));
        assertTrue(e.getMessage().contains("fused activation 4"), e.getMessage());
        Case concat = make("concat", new int[] {1, 2, 2, 2}, b -> {
            int y = b.tensor("y", 1, 2, 2, 4);
            b.op(CONCATENATION, CONCAT_OPTS, concat(3, 1), new int[] {0, 0}, y);
            b.output(y);
        });
        e = assertThrows(
                UnsupportedOperationException.class,
                () -> TfliteToOnnx.convert(
                        TfliteModel.read(concat.tflite()), new TfliteToOnnx.Options("m", "", Map.of())));
        assertTrue(e.getMessage().contains("CONCATENATION with fused activation"), e.getMessage());
    }

    @Test
    void rejectsNonTfliteBytes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TfliteModel.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertTrue(e.getMessage().contains("TFL3"), e.getMessage());
    }

    @Test
    void denseIndexMapFollowsCsrRows() {
        TfliteModel.Sparsity sp = new TfliteModel.Sparsity(
                new int[] {0, 1},
                new int[0],
                List.of(
                        new TfliteModel.DimensionMetadata(0, 2, new int[0], new int[0]),
                        new TfliteModel.DimensionMetadata(1, 0, new int[] {0, 2, 3}, new int[] {0, 2, 1})));
        int[] map = ConstantOps.denseIndexMap(new int[] {2, 3}, sp);
        // row 0 keeps columns 0 and 2, row 1 keeps column 1 of a 2x3 matrix.
        assertEquals(List.of(0, 2, 4), java.util.Arrays.stream(map).boxed().toList());
    }
}
