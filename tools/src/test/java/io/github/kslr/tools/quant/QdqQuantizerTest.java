package io.github.kslr.tools.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.kslr.tools.tflite.OrtRunner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QDQ graph of a real converted model (the bundled float hand landmark model), calibrated on seeded noise
 * images: ONNX Runtime fuses every quantised convolution into {@code QLinearConv} and every quantised addition into
 * {@code QLinearAdd}, the float layers asked for stay float, and the outputs stay near the float model's.
 */
class QdqQuantizerTest {
    private static final String INPUT = "input_1";
    private static final long[] SHAPE = {1, 224, 224, 3};
    private static ModelProto model;
    private static List<float[]> images;
    private static Map<String, QdqQuantizer.Range> ranges;

    @BeforeAll
    static void calibrate() throws Exception {
        try (InputStream in = QdqQuantizerTest.class
                .getClassLoader()
                .getResourceAsStream("io/github/kslr/landmarks/models/hand_landmark_full.onnx")) {
            model = ModelProto.parseFrom(in.readAllBytes());
        }
        SplittableRandom r = new SplittableRandom(21);
        images = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            float[] x = new float[224 * 224 * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
            images.add(x);
        }
        Map<String, float[]> mm = new HashMap<>();
        ModelProto exposed = QdqQuantizer.withOutputs(model, QdqQuantizer.activations(model));
        try (OrtRunner run = new OrtRunner(exposed.toByteArray(), 1)) {
            for (float[] x : images) {
                for (Map.Entry<String, float[]> e : run.run(INPUT, x, SHAPE).entrySet()) {
                    float[] m = mm.computeIfAbsent(e.getKey(), k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                    for (float v : e.getValue()) {
                        m[0] = Math.min(m[0], v);
                        m[1] = Math.max(m[1], v);
                    }
                }
            }
        }
        ranges = new HashMap<>();
        mm.forEach((k, v) -> ranges.put(k, new QdqQuantizer.Range(v[0], v[1])));
    }

    private static Map<String, Integer> optimizedOps(ModelProto m, Path dir) throws Exception {
        Path file = dir.resolve("optimized.onnx");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setIntraOpNumThreads(1);
            o.setOptimizedModelFilePath(file.toString());
            OrtEnvironment.getEnvironment().createSession(m.toByteArray(), o).close();
        }
        Map<String, Integer> ops = new HashMap<>();
        for (NodeProto n :
                ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        return ops;
    }

    private static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals(op))
                .count();
    }

    @Test
    void onnxRuntimeRunsEveryQuantisedConvolutionAndAdditionInIntegers(@TempDir Path dir) throws Exception {
        Set<String> keep = QdqQuantizer.floatNodes(model, QdqQuantizer.FloatLayers.STEM_AND_HEADS);
        ModelProto q = QdqQuantizer.quantize(model, ranges, keep, Map.of("kslr.precision", "int8"));
        long keptConvs = keep.stream().filter(n -> n.startsWith("Conv")).count();
        assertTrue(keptConvs >= 3, "the stem (2) and at least one head convolution: " + keep);
        Map<String, Integer> ops = optimizedOps(q, dir);
        assertEquals(count(model, "Conv") - keptConvs, (long) ops.getOrDefault("QLinearConv", 0), ops.toString());
        assertEquals(count(model, "Add"), (long) ops.getOrDefault("QLinearAdd", 0), ops.toString());
        assertTrue(
                q.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals("kslr.precision")), "metadata added");
    }

    @Test
    void outputsStayNearTheFloatModel() throws Exception {
        ModelProto q = QdqQuantizer.quantize(
                model, ranges, QdqQuantizer.floatNodes(model, QdqQuantizer.FloatLayers.STEM_AND_HEADS), Map.of());
        try (OrtRunner f = new OrtRunner(model.toByteArray(), 1);
                OrtRunner i = new OrtRunner(q.toByteArray(), 1)) {
            for (float[] x : images) {
                float[] a = f.run(INPUT, x, SHAPE).get("Identity");
                float[] b = i.run(INPUT, x, SHAPE).get("Identity");
                double err = 0;
                double mag = 0;
                for (int k = 0; k < a.length; k++) {
                    err += Math.abs(a[k] - b[k]);
                    mag += Math.abs(a[k]);
                }
                // Landmarks in 224-pixel units: int8 moves them by a few pixels, not by the image.
                assertTrue(err / a.length < 0.1 * mag / a.length + 2, "mean error " + err / a.length + " px");
            }
        }
    }

    @Test
    void aTensorWithoutARangeIsNamed() {
        Map<String, QdqQuantizer.Range> partial = new HashMap<>(ranges);
        // An input of the first Add: every Add of two computed tensors is quantised, so it needs this range.
        String dropped = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Add"))
                .findFirst()
                .orElseThrow()
                .getInput(0);
        partial.remove(dropped);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> QdqQuantizer.quantize(model, partial, Set.of(), Map.of()));
        assertTrue(e.getMessage().contains(dropped), e.getMessage());
    }

    @Test
    void halfPrecisionDecodesExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = Half.toFloat(h);
            int exp = (bits >>> 10) & 0x1f;
            if (exp == 0x1f) {
                continue;
            }
            // Re-encode through double arithmetic: sign * mantissa * 2^(exp - 25) (normal) or 2^-24 (subnormal).
            int mant = bits & 0x3ff;
            double v = exp == 0 ? mant * Math.pow(2, -24) : (1024 + mant) * Math.pow(2, exp - 25);
            assertEquals((bits & 0x8000) != 0 ? -v : v, f, 0.0, "half bits " + Integer.toHexString(bits));
        }
    }
}
