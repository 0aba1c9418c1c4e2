package io.github.kslr.tools.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.tools.tflite.LiteRtReference;
import io.github.kslr.tools.tflite.OrtRunner;
import io.github.kslr.tools.tflite.Parity;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every MediaPipe model converted from the pinned tarball gives LiteRT.js's outputs on the same inputs: deterministic
 * synthetic tensors and real crops cut now from ../shared/media. Also: the committed ONNX files, manifest and NOTICE
 * are exactly what the converter writes, and a batch of two gives the same outputs as two single runs.
 *
 * <p>Writes target/parity-report.tsv (model, input, output, max |error|, max scaled error).
 */
class BundledModelParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(BundledModelParityTest.class);
    /** Where the product's models live (tests run in tools/). */
    static final Path BUNDLED = Paths.get(
            "..", "kslr-landmarks", "src", "main", "resources", "io", "github", "kslr", "landmarks", "models");

    private static final Path REPORT = Paths.get("target", "parity-report.tsv");

    private static MediapipeSource source;

    @BeforeAll
    static void fetchSource() throws Exception {
        Path tgz;
        try {
            tgz = MediapipeSource.ensureTarball(Paths.get("target", "mediapipe"));
        } catch (IOException e) {
            String msg = "cannot fetch " + MediapipeSource.PACKAGE + "@" + MediapipeSource.VERSION + " with npm pack ("
                    + e.getMessage() + ")";
            if (SharedFiles.required()) {
                org.junit.jupiter.api.Assertions.fail(msg + " and -Dkslr.requireShared=true");
            }
            org.junit.jupiter.api.Assumptions.abort(msg + "; skipping the model tests");
            return;
        }
        source = MediapipeSource.read(tgz);
        Files.deleteIfExists(REPORT);
    }

    @Test
    void refusesATarballThatIsNotThePinnedOne(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path fake = dir.resolve(MediapipeSource.TARBALL);
        Files.write(fake, new byte[] {31, -117, 8, 0});
        IOException e =
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> MediapipeSource.read(fake));
        assertTrue(e.getMessage().contains(MediapipeSource.TARBALL_SHA256), e.getMessage());
    }

    static Stream<String> models() {
        return ModelCatalog.ALL.stream().map(ModelCatalog.Spec::name);
    }

    @Test
    void committedFilesAreWhatTheConverterWrites() throws Exception {
        List<ModelCatalog.Spec> bundled =
                ModelCatalog.ALL.stream().filter(ModelCatalog.Spec::bundled).toList();
        List<ConvertModels.Converted> converted = new ArrayList<>();
        for (ModelCatalog.Spec s : bundled) {
            ConvertModels.Converted c = ConvertModels.convert(source, s);
            converted.add(c);
            Path committed = BUNDLED.resolve(s.onnxFile());
            assertTrue(Files.isRegularFile(committed), committed + " is not committed");
            assertArrayEquals(
                    Files.readAllBytes(committed),
                    c.onnx(),
                    s.onnxFile() + " differs from a fresh conversion: run tools/convert-models.sh");
        }
        assertEquals(
                Files.readString(BUNDLED.resolve(ConvertModels.MANIFEST)),
                ConvertModels.manifest(converted),
                "manifest.json is stale: run tools/convert-models.sh");
        assertEquals(
                Files.readString(BUNDLED.resolve(ConvertModels.NOTICE)),
                ConvertModels.notice(converted),
                "NOTICE is stale: run tools/convert-models.sh");
        long total = 0;
        for (ModelCatalog.Spec s : bundled) {
            total += Files.size(BUNDLED.resolve(s.onnxFile()));
        }
        assertTrue(total < 25L * 1024 * 1024, "bundled models take " + total + " bytes, the budget is 25 MiB");
    }

    @Test
    void conversionIsDeterministic() {
        ModelCatalog.Spec s = ModelCatalog.byName("hand_recrop");
        assertArrayEquals(
                ConvertModels.convert(source, s).onnx(),
                ConvertModels.convert(source, s).onnx());
    }

    @ParameterizedTest
    @MethodSource("models")
    void matchesLiteRt(String name) throws Exception {
        LiteRtReference ref = Parity.reference();
        ModelCatalog.Spec spec = ModelCatalog.byName(name);
        ConvertModels.Converted c = ConvertModels.convert(source, spec);
        InputSize size = InputSize.of(c.onnx());
        int h = size.height();
        int w = size.width();
        double lo = spec.input().min();
        double hi = spec.input().max();

        Map<String, float[]> inputs = new LinkedHashMap<>();
        inputs.put("synthetic-waves", waves(h, w, lo, hi));
        inputs.put("synthetic-random", random(h, w, lo, hi, 42));
        putRealCrops(inputs, "real:", spec, size);
        List<LiteRtReference.Result> expected = runLiteRt(ref, c.tflite(), inputs.values());
        List<String> names = new ArrayList<>(inputs.keySet());
        try (OrtRunner ort = new OrtRunner(c.onnx(), 1)) {
            List<Map<String, float[]>> single = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                Map<String, float[]> got =
                        ort.run(spec.input().name(), inputs.get(names.get(k)), new long[] {1, h, w, 3});
                single.add(got);
                assertEquals(
                        expected.get(k).outputs().size() - spec.omitted().size(),
                        got.size(),
                        name + ": ONNX outputs " + got.keySet() + " vs TFLite "
                                + expected.get(k).outputs().keySet());
                for (LiteRtReference.Output o : expected.get(k).outputs().values()) {
                    if (spec.omitted().containsKey(o.name())) {
                        assertTrue(!got.containsKey(o.name()), name + " should leave out " + o.name());
                        continue;
                    }
                    Parity.Error e =
                            Parity.check(name + " " + names.get(k) + " " + o.name(), got.get(o.name()), o.values());
                    report(name, names.get(k), o.name(), e);
                }
            }
            // A batch of two (first two inputs) gives each input's own outputs.
            float[] a = inputs.get(names.get(0));
            float[] b = inputs.get(names.get(1));
            float[] ab = new float[a.length * 2];
            System.arraycopy(a, 0, ab, 0, a.length);
            System.arraycopy(b, 0, ab, a.length, b.length);
            Map<String, float[]> batch = ort.run(spec.input().name(), ab, new long[] {2, h, w, 3});
            for (Map.Entry<String, float[]> e : batch.entrySet()) {
                float[] one = single.get(0).get(e.getKey());
                float[] two = single.get(1).get(e.getKey());
                float[] first = java.util.Arrays.copyOfRange(e.getValue(), 0, one.length);
                float[] second = java.util.Arrays.copyOfRange(e.getValue(), one.length, 2 * one.length);
                assertEquals(2 * one.length, e.getValue().length, name + " batch output " + e.getKey());
                Parity.check(name + " batch[0] " + e.getKey(), first, one);
                Parity.check(name + " batch[1] " + e.getKey(), second, two);
            }
        }
    }

    static Stream<String> int8Models() {
        return io.github.kslr.tools.quant.Int8Models.PLAN.keySet().stream()
                .map(io.github.kslr.landmarks.HolisticModel::bundledName);
    }

    /**
     * Each bundled int8 model against LiteRT.js running the float model on the real crops (the synthetic inputs lie
     * outside the calibrated ranges, where int8 clips by design). The float rule (1e-3) cannot hold for int8, so the
     * tolerance is the landmark parity gate of issue #21 carried to the model's own units: face mesh points within 1 %
     * of the 192-pixel input on average, which is stricter than 1 % of an image diagonal since the face crop is
     * smaller than its image; the presence within 0.1 after the sigmoid, so a clear face stays clear of the 0.5
     * threshold.
     */
    // No stage is planned for int8 now (Int8Models.PLAN); the test runs for each one that is.
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("int8Models")
    void int8ModelsStayNearLiteRt(String name) throws Exception {
        LiteRtReference ref = Parity.reference();
        ModelCatalog.Spec spec = ModelCatalog.byName(name);
        ConvertModels.Converted c = ConvertModels.convert(source, spec);
        byte[] int8 = Files.readAllBytes(BUNDLED.resolve(name + io.github.kslr.landmarks.LandmarkerModels.INT8_SUFFIX));
        InputSize size = InputSize.of(c.onnx());
        int h = size.height();
        int w = size.width();
        Map<String, float[]> inputs = new LinkedHashMap<>();
        putRealCrops(inputs, "", spec, size);
        List<LiteRtReference.Result> expected = runLiteRt(ref, c.tflite(), inputs.values());
        List<String> names = new ArrayList<>(inputs.keySet());
        double side = 0.01 * h;
        try (OrtRunner ort = new OrtRunner(int8, 1)) {
            for (int k = 0; k < names.size(); k++) {
                Map<String, float[]> got =
                        ort.run(spec.input().name(), inputs.get(names.get(k)), new long[] {1, h, w, 3});
                Map<String, float[]> want = new LinkedHashMap<>();
                expected.get(k).outputs().values().forEach(o -> want.put(o.name(), o.values()));
                String what = name + " " + names.get(k);
                if (name.equals("face_landmark")) {
                    float[] a = want.get("conv2d_21");
                    float[] b = got.get("conv2d_21");
                    double sum = 0;
                    for (int i = 0; i < a.length; i += 3) {
                        sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]);
                    }
                    double mean = sum / (2 * (a.length / 3));
                    double presence = Math.abs(sigmoid(want.get("conv2d_31")[0]) - sigmoid(got.get("conv2d_31")[0]));
                    LOG.info("{} int8: mean |point error| {} px, presence error {}", what, mean, presence);
                    assertTrue(mean <= side, what + ": mean point error " + mean + " px > " + side);
                    assertTrue(presence <= 0.1, what + ": presence off by " + presence);
                } else {
                    fail(name + " has an int8 model but no int8 tolerance here: add one, justified as the others");
                }
            }
        }
    }

    /** Adds {@link #realCrops} of {@code spec}'s model, cut now at its input size and range, as {@code prefix + key}. */
    private static void putRealCrops(Map<String, float[]> inputs, String prefix, ModelCatalog.Spec spec, InputSize size)
            throws IOException {
        for (Map.Entry<String, double[]> crop : realCrops(spec.name()).entrySet()) {
            Path image =
                    SharedFiles.require(crop.getKey().substring(0, crop.getKey().indexOf('#')));
            inputs.put(
                    prefix + crop.getKey(),
                    crop(
                            ImageIO.read(image.toFile()),
                            crop.getValue(),
                            size.height(),
                            size.width(),
                            spec.input().min(),
                            spec.input().max()));
        }
    }

    /** LiteRT.js's outputs of {@code tflite} for each input, in order. */
    private static List<LiteRtReference.Result> runLiteRt(
            LiteRtReference ref, byte[] tflite, Collection<float[]> inputs) throws IOException, InterruptedException {
        List<LiteRtReference.Job> jobs = new ArrayList<>();
        for (float[] x : inputs) {
            jobs.add(new LiteRtReference.Job(tflite, List.of(x), 0, 0));
        }
        return ref.run(jobs);
    }

    private static double sigmoid(float x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Why pose_landmark_* leave out Identity_2 (segmentation logits): the output is ill-conditioned (logits down to
     * about -1700 with sharp edges), so ONNX Runtime disagrees with itself between optimisation levels by more than
     * the parity rule allows. The converted head is still right: its error against LiteRT.js is of the same order as
     * ONNX Runtime's own, and below 1e-3 of the output's largest magnitude.
     */
    @Test
    void segmentationHeadIsIllConditionedNotWrong() throws Exception {
        LiteRtReference ref = Parity.reference();
        ModelCatalog.Spec spec = ModelCatalog.byName("pose_landmark_full");
        byte[] tflite = source.model(spec.tflite());
        byte[] onnx = io.github.kslr.tools.tflite.TfliteToOnnx.convert(
                        io.github.kslr.tools.tflite.TfliteModel.read(tflite),
                        new io.github.kslr.tools.tflite.TfliteToOnnx.Options("seg", "", Map.of()))
                .toByteArray();
        float[] x = waves(256, 256, 0, 1);
        float[] want = ref.run(List.of(new LiteRtReference.Job(tflite, List.of(x), 0, 0)))
                .get(0)
                .outputs()
                .get("Identity_2")
                .values();
        float[] all;
        float[] none;
        try (OrtRunner a = new OrtRunner(onnx, 1);
                OrtRunner b = new OrtRunner(onnx, 1, ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            all = a.run("input_1", x, new long[] {1, 256, 256, 3}).get("Identity_2");
            none = b.run("input_1", x, new long[] {1, 256, 256, 3}).get("Identity_2");
        }
        Parity.Error vsTflite = Parity.error(all, want);
        Parity.Error ortVsOrt = Parity.error(none, all);
        double maxMagnitude = 0;
        for (float v : want) {
            maxMagnitude = Math.max(maxMagnitude, Math.abs(v));
        }
        LOG.info(
                "segmentation Identity_2: ORT vs LiteRT.js max |err| {} (scaled {}); ORT NO_OPT vs ALL_OPT max |err|"
                        + " {} (scaled {}); largest |logit| {}",
                vsTflite.maxAbs(),
                vsTflite.maxScaled(),
                ortVsOrt.maxAbs(),
                ortVsOrt.maxScaled(),
                maxMagnitude);
        report("pose_landmark_full(with segmentation)", "synthetic-waves", "Identity_2", vsTflite);
        assertTrue(ortVsOrt.maxScaled() > Parity.TOLERANCE, "ORT agrees with itself here: the rule would be meetable");
        assertTrue(
                vsTflite.maxScaled() <= 10 * ortVsOrt.maxScaled(),
                "error against LiteRT.js " + vsTflite.maxScaled() + " is far above ONNX Runtime's own disagreement "
                        + ortVsOrt.maxScaled());
        assertTrue(vsTflite.maxAbs() <= Parity.TOLERANCE * (1 + maxMagnitude), "max |err| " + vsTflite.maxAbs());
    }

    private static synchronized void report(String model, String input, String output, Parity.Error e)
            throws IOException {
        LOG.info("{} {} {}: max |err| {} max scaled {}", model, input, output, e.maxAbs(), e.maxScaled());
        Files.createDirectories(REPORT.getParent());
        Files.writeString(
                REPORT,
                model + "\t" + input + "\t" + output + "\t" + e.maxAbs() + "\t" + e.maxScaled() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Real crops for a model: "shared path#label" -> square region (centre x, centre y, side) as fractions of the
     * image's width, height and shorter side. Regions roughly frame the subject the model expects.
     */
    static Map<String, double[]> realCrops(String model) {
        Map<String, double[]> m = new LinkedHashMap<>();
        if (model.startsWith("pose")) {
            m.put("media/tfjs/pose.jpg#body", new double[] {0.5, 0.5, 1.0});
            m.put("media/khmer-forms/form_a.jpg#signer", new double[] {0.5, 0.5, 1.0});
        } else if (model.startsWith("hand") || model.startsWith("palm")) {
            m.put("media/tfjs/hands.jpg#left", new double[] {0.3, 0.5, 0.8});
            m.put("media/tfjs/hands.jpg#right", new double[] {0.7, 0.5, 0.8});
        } else {
            m.put("media/tfjs/portrait.jpg#face", new double[] {0.5, 0.4, 0.6});
            m.put("media/khmer-forms/form_b.jpg#signer", new double[] {0.5, 0.3, 0.5});
        }
        return m;
    }

    /** Bilinear square crop (pixel centres) scaled to h x w, RGB mapped from 0..255 to [lo, hi], NHWC. */
    static float[] crop(BufferedImage img, double[] region, int h, int w, double lo, double hi) {
        int iw = img.getWidth();
        int ih = img.getHeight();
        double side = region[2] * Math.min(iw, ih);
        double x0 = region[0] * iw - side / 2;
        double y0 = region[1] * ih - side / 2;
        float[] out = new float[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = x0 + (x + 0.5) * side / w - 0.5;
                double sy = y0 + (y + 0.5) * side / h - 0.5;
                int fx = (int) Math.floor(sx);
                int fy = (int) Math.floor(sy);
                double ax = sx - fx;
                double ay = sy - fy;
                for (int c = 0; c < 3; c++) {
                    double v = (1 - ay) * ((1 - ax) * px(img, fx, fy, c) + ax * px(img, fx + 1, fy, c))
                            + ay * ((1 - ax) * px(img, fx, fy + 1, c) + ax * px(img, fx + 1, fy + 1, c));
                    out[(y * w + x) * 3 + c] = (float) (lo + v * (hi - lo) / 255.0);
                }
            }
        }
        return out;
    }

    private static int px(BufferedImage img, int x, int y, int c) {
        x = Math.max(0, Math.min(img.getWidth() - 1, x));
        y = Math.max(0, Math.min(img.getHeight() - 1, y));
        int rgb = img.getRGB(x, y);
        return (rgb >> (16 - 8 * c)) & 0xff;
    }

    static float[] waves(int h, int w, double lo, double hi) {
        float[] out = new float[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0.5 + 0.5 * Math.sin(0.11 * x + 0.07 * y + 2.1 * c) * Math.cos(0.05 * (x - y));
                    out[(y * w + x) * 3 + c] = (float) (lo + v * (hi - lo));
                }
            }
        }
        return out;
    }

    static float[] random(int h, int w, double lo, double hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[h * w * 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return out;
    }
}
