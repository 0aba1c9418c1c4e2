package io.github.kslr.landmarks.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.landmarks.HolisticModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MediaPipe models bundled in this jar (converted by tools/convert-models.sh; their parity with the TFLite
 * originals is tested in kslr-tools) load from the classpath, match manifest.json (file hash, input and output names
 * and shapes) and run a batch of two crops in one call.
 */
class BundledModelsTest {
    private static final String DIR = "io/github/kslr/landmarks/models/";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BundledModelsTest.class.getClassLoader().getResourceAsStream(DIR + name)) {
            assertNotNull(in, DIR + name + " is not on the classpath");
            return in.readAllBytes();
        }
    }

    /** The manifest's entry for {@code file}: sha256, and the port names and shapes in order. */
    private record Entry(String sha256, List<String> inputs, List<String> outputs, List<String> shapes) {}

    private static Entry manifestEntry(String file) throws IOException {
        String json = new String(resource("manifest.json"), StandardCharsets.UTF_8);
        int at = json.indexOf("\"file\": \"" + file + "\"");
        assertTrue(at >= 0, "manifest.json does not list " + file);
        Matcher next = Pattern.compile("\"file\": \"[^\"]+\\.onnx\"").matcher(json);
        // The next model's entry starts with its "name", just before its "file".
        int end = next.find(at + 10) ? json.lastIndexOf("\"name\"", next.start()) : json.length();
        String block = json.substring(at, end);
        Matcher sha = Pattern.compile("\"sha256\": \"([0-9a-f]{64})\"").matcher(block);
        assertTrue(sha.find());
        String model = sha.group(1);
        String ports = block.substring(block.indexOf("\"inputs\""));
        String inPart = ports.substring(0, ports.indexOf("\"outputs\""));
        String outPart = ports.substring(ports.indexOf("\"outputs\""));
        int omitted = outPart.indexOf("\"omittedOutputs\"");
        if (omitted >= 0) {
            outPart = outPart.substring(0, omitted);
        }
        Pattern name = Pattern.compile("\"name\": \"([^\"]+)\"");
        Pattern shape = Pattern.compile("\"shape\": \\[([^\\]]*)\\]");
        List<String> ins = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        for (Matcher m = name.matcher(inPart); m.find(); ) {
            ins.add(m.group(1));
        }
        for (Matcher m = name.matcher(outPart); m.find(); ) {
            outs.add(m.group(1));
        }
        for (Matcher m = shape.matcher(ports); m.find(); ) {
            shapes.add(m.group(1).replaceAll("\\s+", "").replace("\"N\"", "-1"));
        }
        return new Entry(model, ins, outs, shapes);
    }

    private static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? "," : "").append(shape[i]);
        }
        return b.toString();
    }

    @ParameterizedTest
    @EnumSource(HolisticModel.class)
    void loadsMatchesManifestAndRunsABatch(HolisticModel model) throws Exception {
        String name = model.bundledName();
        byte[] onnx = resource(name + ".onnx");
        Entry entry = manifestEntry(name + ".onnx");
        assertEquals(
                entry.sha256(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx)),
                name + ".onnx does not match manifest.json");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(onnx, o)) {
            assertEquals(entry.inputs(), new ArrayList<>(s.getInputNames()), name + " inputs");
            assertEquals(entry.outputs(), new ArrayList<>(s.getOutputNames()), name + " outputs");
            List<String> shapes = new ArrayList<>();
            Map<String, NodeInfo> in = s.getInputInfo();
            Map<String, NodeInfo> out = s.getOutputInfo();
            for (NodeInfo i : in.values()) {
                shapes.add(shapeText(((TensorInfo) i.getInfo()).getShape()));
            }
            for (NodeInfo i : out.values()) {
                shapes.add(shapeText(((TensorInfo) i.getInfo()).getShape()));
            }
            assertEquals(entry.shapes(), shapes, name + " shapes (-1 = the free batch dimension N)");
            long[] inShape = ((TensorInfo) in.values().iterator().next().getInfo()).getShape();
            assertEquals(4, inShape.length);
            assertEquals(3, inShape[3], "NHWC RGB input");
            int h = (int) inShape[1];
            int w = (int) inShape[2];
            float[] x = new float[2 * h * w * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7) / 7f;
            }
            Map<String, float[]> results = new LinkedHashMap<>();
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, h, w, 3});
                    OrtSession.Result r = s.run(Map.of(entry.inputs().get(0), t))) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                    assertEquals(2, shape[0], name + " " + e.getKey() + " batch");
                    FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    for (float f : v) {
                        assertTrue(Float.isFinite(f), name + " " + e.getKey() + " has a non-finite value");
                    }
                    results.put(e.getKey(), v);
                }
            }
            assertEquals(entry.outputs().size(), results.size());
        }
    }
}
