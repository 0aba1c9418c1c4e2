package io.github.kslr.onnx.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.kslr.api.InvalidInputException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxGraphWriterTest {

    @Test
    void namesAreUniqueAndReservedNamesCannotBeTakenTwice() {
        OnnxGraphWriter g = new OnnxGraphWriter("g");
        assertEquals("x", g.reserve("x"));
        assertThrows(InvalidInputException.class, () -> g.reserve("x"));
        assertEquals("x_1", g.uniqueName("x"));
        assertEquals("x_2", g.uniqueName("x"));
        String a = g.newName("t");
        String b = g.newName("t");
        assertTrue(!a.equals(b) && a.startsWith("t_") && b.startsWith("t_"), a + " " + b);
        g.reserve("u_" + 3);
        for (int i = 0; i < 6; i++) {
            assertTrue(!g.newName("u").equals("u_3"));
        }
    }

    @Test
    void initializerShapeMustMatchItsValues() {
        OnnxGraphWriter g = new OnnxGraphWriter("g");
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> g.initializer("w", new float[5], 2, 3));
        assertTrue(
                e.getMessage().contains("'w'")
                        && e.getMessage().contains("6")
                        && e.getMessage().contains("5"),
                e.getMessage());
        assertThrows(
                InvalidInputException.class,
                () -> g.weight("w", new float[6], new long[] {2, 3}, 2, WeightPrecision.INT8));
        assertThrows(InvalidInputException.class, () -> g.int64Initializer("i", new long[3], 2));
    }

    @Test
    void rawBytesMustBeTheShapesValuesOfTheirType() {
        OnnxGraphWriter g = new OnnxGraphWriter("g");
        assertEquals("h", g.raw("h", OnnxMl.TensorProto.DataType.FLOAT16, new byte[12], 2, 3));
        InvalidInputException count = assertThrows(
                InvalidInputException.class, () -> g.raw("q", OnnxMl.TensorProto.DataType.INT32, new byte[8], 3));
        assertTrue(count.getMessage().contains("'q'") && count.getMessage().contains("3"), count.getMessage());
        InvalidInputException partial = assertThrows(
                InvalidInputException.class, () -> g.raw("p", OnnxMl.TensorProto.DataType.INT64, new byte[12], 1));
        assertTrue(partial.getMessage().contains("8-byte"), partial.getMessage());
        assertThrows(InvalidInputException.class, () -> g.raw("s", OnnxMl.TensorProto.DataType.STRING, new byte[1]));
    }

    /** y = x W + b with W as float32 and as int8: ONNX Runtime's results, the int8 ones within half a step. */
    @Test
    void int8WeightsDequantiseWithinHalfAStepPerChannel() throws OrtException {
        int in = 7;
        int out = 5;
        Random r = new Random(3);
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            // Columns (output channels) of very different magnitudes: per-channel scales must keep each accurate.
            w[i] = (float) r.nextGaussian() * (1 + 100 * (i % out));
        }
        float[] x = new float[2 * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] exact = run(linear(w, in, out, WeightPrecision.FLOAT32), x, in, out);
        float[] int8 = run(linear(w, in, out, WeightPrecision.INT8), x, in, out);
        for (int row = 0; row < 2; row++) {
            for (int ch = 0; ch < out; ch++) {
                float maxAbs = 0;
                float sumAbsX = 0;
                for (int k = 0; k < in; k++) {
                    maxAbs = Math.max(maxAbs, Math.abs(w[k * out + ch]));
                    sumAbsX += Math.abs(x[row * in + k]);
                }
                float bound = maxAbs / 127f / 2 * sumAbsX * 1.0001f + 1e-4f;
                float err = Math.abs(exact[row * out + ch] - int8[row * out + ch]);
                assertTrue(err <= bound, "row " + row + " channel " + ch + ": error " + err + " > " + bound);
            }
        }
    }

    @Test
    void pruneRemovesWhatNoOutputNeedsAndMetadataKeepsItsOrder() {
        OnnxGraphWriter g = new OnnxGraphWriter("g");
        g.input("x", "batch", 3);
        String used = g.node("Relu", List.of("x"));
        String dead = g.node("Neg", List.of(g.initializer("unused", new float[] {1, 2, 3}, 3)));
        g.node("Identity", "out_node", List.of(used), List.of("y"));
        g.output("y", "batch", 3);
        g.pruneUnreachable();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("z", "1");
        meta.put("a", "2");
        OnnxMl.ModelProto m = g.model(8, 17, "test", null, "doc", meta).build();
        assertEquals(
                List.of("Relu", "Identity"),
                m.getGraph().getNodeList().stream()
                        .map(OnnxMl.NodeProto::getOpType)
                        .toList());
        assertEquals(0, m.getGraph().getInitializerCount(), dead + " and its initializer should be gone");
        assertEquals(
                List.of("z", "a"),
                m.getMetadataPropsList().stream()
                        .map(OnnxMl.StringStringEntryProto::getKey)
                        .toList());
        assertTrue(!m.hasProducerVersion());
    }

    private static byte[] linear(float[] w, int in, int out, WeightPrecision precision) {
        OnnxGraphWriter g = new OnnxGraphWriter("linear");
        g.input("x", "batch", in);
        String wt = g.weight("w", w, new long[] {in, out}, 1, precision);
        String y = g.node("MatMul", List.of("x", wt));
        g.node("Identity", "identity", List.of(y), List.of("y"));
        g.output("y", "batch", out);
        return g.model(8, 17, "test", "1", "y = x W", Map.of()).build().toByteArray();
    }

    private static float[] run(byte[] model, float[] x, int in, int out) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {x.length / in, in});
                OrtSession.Result res = s.run(Map.of("x", t))) {
            float[][] y = (float[][]) res.get(0).getValue();
            float[] flat = new float[y.length * out];
            for (int i = 0; i < y.length; i++) {
                System.arraycopy(y[i], 0, flat, i * out, out);
            }
            assertArrayEquals(new int[] {x.length / in, out}, new int[] {y.length, y[0].length});
            return flat;
        }
    }
}
