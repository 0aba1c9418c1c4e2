package io.github.kslr.tools.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PRELU as {@link ElementwiseOps#prelu} writes it: with one slope a channel, convolutions and an Add that give PRelu's
 * values to the bit (each product one rounding, one of the two terms zero); with any other slope an ONNX PRelu. The
 * values are compared under ONNX Runtime's basic optimisations, which keep the graph's order of operations (with all
 * of them, its NCHWc layout may fuse the Add into a convolution of the network around it; LiteRT parity:
 * {@link OperatorParityTest}).
 */
class PreluLoweringTest {
    private static final int[] SHAPE = {1, 5, 6, 4};
    private static final int DEQUANT_OPTS = 38;

    private static byte[] model(Consumer<TfliteBuilder> slope) {
        TfliteBuilder b = new TfliteBuilder();
        b.input("x", SHAPE);
        slope.accept(b);
        return b.build();
    }

    private static ModelProto convert(byte[] tflite) {
        return TfliteToOnnx.convert(TfliteModel.read(tflite), new TfliteToOnnx.Options("prelu", "", Map.of()));
    }

    private static Map<String, Long> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
    }

    private static float[] input() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]];
        for (int i = 0; i < x.length; i++) {
            // Both signs, zeros, and magnitudes whose products with the slopes round.
            x[i] = i % 17 == 0 ? 0f : (float) ((r.nextDouble() * 2 - 1) * Math.exp(r.nextDouble() * 8 - 4));
        }
        return x;
    }

    /** PRelu in float, the slope indexed as NHWC broadcasting gives it. */
    private static void assertPreluValues(ModelProto onnx, float[] slope, boolean perChannel) throws Exception {
        float[] x = input();
        long[] shape = {SHAPE[0], SHAPE[1], SHAPE[2], SHAPE[3]};
        try (OrtRunner ort = new OrtRunner(onnx.toByteArray(), 1, OptLevel.BASIC_OPT)) {
            float[] y = ort.run("x", x, shape).get("y");
            assertEquals(x.length, y.length);
            int c = SHAPE[3];
            for (int i = 0; i < x.length; i++) {
                float a = perChannel ? slope[i % c] : slope[i % slope.length];
                float want = x[i] > 0 ? x[i] : a * x[i];
                assertEquals(
                        Float.floatToIntBits(want == 0f ? 0f : want),
                        Float.floatToIntBits(y[i] == 0f ? 0f : y[i]),
                        "y[" + i + "] for x " + x[i] + ", slope " + a + ": " + y[i] + " against " + want);
            }
        }
    }

    @Test
    void oneSlopeAChannelBecomesConvolutionsWithPReLUsExactValues() throws Exception {
        // Slopes below 0, between 0 and 1, and above 1 (MediaPipe's palm detector has all three).
        float[] slope = {-1.625f, 0.25f, 1.375f, 12.25f};
        ModelProto onnx = convert(model(b -> {
            int a = b.constF32("a", slope, 1, 1, SHAPE[3]);
            int y = b.tensor("y", SHAPE);
            b.op(BuiltinOperator.PRELU, 0, null, new int[] {0, a}, y);
            b.output(y);
        }));
        Map<String, Long> ops = ops(onnx);
        assertEquals(null, ops.get("PRelu"), ops.toString());
        assertEquals(3L, ops.get("Conv"), ops.toString());
        assertEquals(1L, ops.get("Add"), ops.toString());
        assertPreluValues(onnx, slope, true);
    }

    @Test
    void halfPrecisionSlopesAreNegatedExactly() throws Exception {
        // The bundled models' slopes are FLOAT16 constants, DEQUANTIZE'd to float.
        short[] bits = {(short) 0xbe80, (short) 0x3400, (short) 0x3d80, (short) 0x4a20};
        float[] slope = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            // Normal half values: (1 + mantissa / 1024) 2^(exponent - 15), exact in float.
            int h = bits[i] & 0xffff;
            float v = Math.scalb(1f + (h & 0x3ff) / 1024f, ((h >>> 10) & 0x1f) - 15);
            slope[i] = (h & 0x8000) != 0 ? -v : v;
        }
        ModelProto onnx = convert(model(b -> {
            int a16 = b.constF16("a16", bits, SHAPE[3]);
            int a = b.tensor("a", SHAPE[3]);
            b.op(
                    BuiltinOperator.DEQUANTIZE,
                    DEQUANT_OPTS,
                    fb -> {
                        fb.startTable(1);
                        return fb.endTable();
                    },
                    new int[] {a16},
                    a);
            int y = b.tensor("y", SHAPE);
            b.op(BuiltinOperator.PRELU, 0, null, new int[] {0, a}, y);
            b.output(y);
        }));
        assertEquals(null, ops(onnx).get("PRelu"), ops(onnx).toString());
        assertTrue(
                onnx.getGraph().getInitializerList().stream()
                        .anyMatch(t -> t.getName().endsWith("/negated/fp16")),
                "the negated slopes stay FLOAT16");
        assertPreluValues(onnx, slope, true);
    }

    @Test
    void aSlopeThatVariesOverTheImageStaysAPRelu() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        float[] slope = new float[SHAPE[2] * SHAPE[3]];
        for (int i = 0; i < slope.length; i++) {
            slope[i] = (float) (r.nextDouble() * 3 - 1);
        }
        ModelProto onnx = convert(model(b -> {
            int a = b.constF32("a", slope, SHAPE[2], SHAPE[3]);
            int y = b.tensor("y", SHAPE);
            b.op(BuiltinOperator.PRELU, 0, null, new int[] {0, a}, y);
            b.output(y);
        }));
        Map<String, Long> ops = ops(onnx);
        assertEquals(1L, ops.get("PRelu"), ops.toString());
        assertEquals(null, ops.get("Conv"), ops.toString());
        assertPreluValues(onnx, slope, false);
    }
}
