package io.github.kslr.tools.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.github.kslr.api.AtomicFiles;
import io.github.kslr.landmarks.HolisticModel;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.tools.models.InputSize;
import io.github.kslr.tools.tflite.OrtRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the int8 landmark models beside the float ones: calibrates on the landmarker's own crops of real media
 * ({@link Calibration}) and writes {@code NAME.int8.onnx} ({@link QdqQuantizer}) for the stages in {@link #PLAN}.
 *
 * <pre>
 * java -cp tools/target/kslr-tools.jar io.github.kslr.tools.quant.Int8Models --models DIR --media ../shared/media \
 *     [--evaluate]
 * </pre>
 * {@code --evaluate} writes nothing: for each stage and each choice of float layers it prints how far the int8
 * model's outputs are from the float model's on held-back crops (every 4th crop, kept out of calibration), the figures
 * {@link #PLAN} was chosen by.
 *
 * <p>Stateless static methods; thread-safe.
 */
public final class Int8Models {
    private static final Logger LOG = LoggerFactory.getLogger(Int8Models.class);

    /** How one stage is quantised: the layers it keeps in float and how its activation ranges are taken. */
    public record Plan(QdqQuantizer.FloatLayers floatLayers, Calibration.Method method) {}

    /**
     * The stages that get an int8 model, and how. A stage is listed only when its int8 model holds issue #21's parity
     * gates (the landmark parity tests, both precisions) and runs faster than its float model; the others stay float
     * in int8 mode (the measurements behind each choice: README, "Int8 models").
     */
    public static final Map<HolisticModel, Plan> PLAN = plan();

    private static Map<HolisticModel, Plan> plan() {
        Map<HolisticModel, Plan> p = new EnumMap<>(HolisticModel.class);
        // None listed. Hand and pose landmarks and the pose detector missed a landmark parity gate. The PReLU nets
        // (palm detector, face mesh, hand re-crop) run faster in float since the converter writes their PReLUs as
        // convolutions (ElementwiseOps.prelu) than any int8 model of them did; the face detector gained nothing.
        return java.util.Collections.unmodifiableMap(p);
    }

    private Int8Models() {}

    /** A written int8 model. */
    public record Written(HolisticModel stage, Path file, byte[] onnx, int crops) {}

    /**
     * Calibrates on {@code media} with the float models in {@code modelDir} and writes each {@link #PLAN} stage's
     * {@code NAME.int8.onnx} there.
     */
    public static List<Written> write(Path modelDir, Path media) throws Exception {
        Map<HolisticModel, ModelProto> floats =
                floatModels(modelDir, PLAN.keySet().stream().toList());
        List<Written> out = new ArrayList<>();
        if (PLAN.isEmpty()) {
            LOG.info("no stage is planned for int8 (Int8Models.PLAN): nothing to calibrate");
            return out;
        }
        try (Calibration cal = new Calibration(floats, 0)) {
            cal.run(modelDir, Calibration.videos(media), Calibration.images(media));
            for (Map.Entry<HolisticModel, Plan> e : PLAN.entrySet()) {
                HolisticModel stage = e.getKey();
                ModelProto m = floats.get(stage);
                if (cal.crops(stage) == 0) {
                    throw new IllegalStateException(stage + ": the calibration media gave it no crop");
                }
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("kslr.precision", "int8");
                meta.put(
                        "kslr.int8",
                        "QDQ: int8 weights (symmetric, per output channel), uint8 activations (per tensor, "
                                + e.getValue().method() + " over " + cal.crops(stage)
                                + " crops the float landmarker cut from " + media.getFileName() + "); float layers: "
                                + e.getValue().floatLayers());
                ModelProto q = QdqQuantizer.quantize(
                        m,
                        cal.ranges(stage, e.getValue().method()),
                        QdqQuantizer.floatNodes(m, e.getValue().floatLayers()),
                        meta);
                byte[] bytes = q.toByteArray();
                Path file = modelDir.resolve(stage.bundledName() + LandmarkerModels.INT8_SUFFIX);
                AtomicFiles.write(file, bytes);
                LOG.info("{}: {} crops -> {} ({} bytes)", stage, cal.crops(stage), file.getFileName(), bytes.length);
                out.add(new Written(stage, file, bytes, cal.crops(stage)));
            }
        }
        return out;
    }

    private static Map<HolisticModel, ModelProto> floatModels(Path dir, List<HolisticModel> stages)
            throws java.io.IOException {
        Map<HolisticModel, ModelProto> m = new EnumMap<>(HolisticModel.class);
        for (HolisticModel s : stages) {
            m.put(s, ModelProto.parseFrom(Files.readAllBytes(dir.resolve(s.bundledName() + ".onnx"))));
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path models = null;
        Path media = null;
        boolean evaluate = false;
        boolean sensitivity = false;
        Path variantsOut = null;
        List<String> variants = VARIANTS;
        List<HolisticModel> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = Paths.get(args[++i]);
                case "--media" -> media = Paths.get(args[++i]);
                case "--evaluate" -> evaluate = true;
                case "--sensitivity" -> sensitivity = true;
                case "--variants" -> variantsOut = Paths.get(args[++i]);
                case "--variant-list" -> variants = List.of(args[++i].split(","));
                case "--only" ->
                    only = Arrays.stream(args[++i].split(","))
                            .map(HolisticModel::valueOf)
                            .toList();
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; usage: --models DIR --media DIR [--evaluate [--only STAGE,...]]");
            }
        }
        if (models == null || media == null) {
            throw new IllegalArgumentException("usage: --models DIR --media DIR [--evaluate]");
        }
        if (variantsOut != null) {
            variants(models, media, only != null ? only : List.of(HolisticModel.values()), variants, variantsOut);
            return;
        }
        if (sensitivity) {
            sensitivity(models, media, only != null ? only : List.of(HolisticModel.values()));
            return;
        }
        if (!evaluate) {
            write(models, media);
            return;
        }
        evaluate(models, media, only != null ? only : List.of(HolisticModel.values()));
    }

    /**
     * Writes one model directory a variant under {@code out} (named after it, '/' and '+' as '_'): links to the float
     * models of {@code modelDir} and each stage's int8 model made by the variant, for running the parity tests on each
     * ({@code -Dkslr.landmarks.modelDir}). A variant is {@code FLOAT_LAYERS/METHOD[+NODE...]}: the extra nodes stay
     * float too.
     */
    static void variants(Path modelDir, Path media, List<HolisticModel> stages, List<String> variants, Path out)
            throws Exception {
        Map<HolisticModel, ModelProto> floats = floatModels(modelDir, stages);
        try (Calibration cal = new Calibration(floats, 0)) {
            cal.run(modelDir, Calibration.videos(media), Calibration.images(media));
            for (String variant : variants) {
                String[] plus = variant.split("\\+");
                String[] v = plus[0].split("/");
                Path dir = out.resolve(variant.replace('/', '_').replace('+', '_'));
                Files.createDirectories(dir);
                try (var files = Files.list(modelDir)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".onnx")
                                    && !f.toString().endsWith(LandmarkerModels.INT8_SUFFIX))
                            .toList()) {
                        Files.deleteIfExists(dir.resolve(f.getFileName()));
                        Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
                    }
                }
                for (HolisticModel stage : stages) {
                    ModelProto m = floats.get(stage);
                    java.util.Set<String> keep =
                            new java.util.HashSet<>(QdqQuantizer.floatNodes(m, QdqQuantizer.FloatLayers.valueOf(v[0])));
                    for (String node : Arrays.asList(plus).subList(1, plus.length)) {
                        if (node.startsWith("@")) {
                            // "@NODE": that node and every node after it in graph order.
                            boolean after = false;
                            for (ai.onnx.proto.OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
                                after |= n.getName().equals(node.substring(1));
                                if (after) {
                                    keep.add(n.getName());
                                }
                            }
                        } else {
                            keep.add(node);
                        }
                    }
                    ModelProto q = QdqQuantizer.quantize(
                            m, cal.ranges(stage, Calibration.Method.valueOf(v[1])), keep, Map.of());
                    byte[] bytes = q.toByteArray();
                    AtomicFiles.write(dir.resolve(stage.bundledName() + LandmarkerModels.INT8_SUFFIX), bytes);
                    LOG.info("{} {}: {} float nodes -> {} bytes", variant, stage, keep.size(), bytes.length);
                }
            }
        }
    }

    /** Prints each stage's int8-vs-float output error per choice of float layers, on held-back crops. */
    static void evaluate(Path modelDir, Path media, List<HolisticModel> stages) throws Exception {
        Map<HolisticModel, ModelProto> floats = floatModels(modelDir, stages);
        try (Calibration cal = new Calibration(floats, 4)) {
            cal.run(modelDir, Calibration.videos(media), Calibration.images(media));
            StringBuilder table = new StringBuilder("\n");
            for (HolisticModel stage : stages) {
                ModelProto m = floats.get(stage);
                List<float[]> samples = cal.samples(stage);
                if (samples.isEmpty()) {
                    continue;
                }
                String in = m.getGraph().getInput(0).getName();
                long[] shape = InputSize.of(m).oneCropShape();
                List<Map<String, float[]>> ref = new ArrayList<>();
                try (OrtRunner r = new OrtRunner(m.toByteArray(), 1)) {
                    for (float[] x : samples) {
                        ref.add(r.run(in, x, shape));
                    }
                }
                for (String variant : VARIANTS) {
                    String[] v = variant.split("/");
                    QdqQuantizer.FloatLayers policy = QdqQuantizer.FloatLayers.valueOf(v[0]);
                    Calibration.Method method = Calibration.Method.valueOf(v[1]);
                    boolean simulated = v.length > 2;
                    ModelProto q = QdqQuantizer.quantize(
                            m, cal.ranges(stage, method), QdqQuantizer.floatNodes(m, policy), Map.of());
                    Map<String, List<Double>> err = new LinkedHashMap<>();
                    Map<String, List<Double>> mag = new LinkedHashMap<>();
                    try (OrtRunner r = new OrtRunner(
                            q.toByteArray(),
                            1,
                            simulated
                                    ? ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT
                                    : ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                        for (int k = 0; k < samples.size(); k++) {
                            Map<String, float[]> got = r.run(in, samples.get(k), shape);
                            for (Map.Entry<String, float[]> e : ref.get(k).entrySet()) {
                                float[] a = e.getValue();
                                float[] b = got.get(e.getKey());
                                List<Double> el = err.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
                                List<Double> ml = mag.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
                                for (int i = 0; i < a.length; i++) {
                                    el.add((double) Math.abs(a[i] - b[i]));
                                    ml.add((double) Math.abs(a[i]));
                                }
                            }
                        }
                    }
                    for (String o : err.keySet()) {
                        String line = String.format(
                                "%-28s %-36s %-12s |err| median %.4g p95 %.4g max %.4g   (|fp32| median %.4g)"
                                        + " samples %d of %d crops",
                                stage.bundledName(),
                                variant,
                                o,
                                pct(err.get(o), 0.5),
                                pct(err.get(o), 0.95),
                                pct(err.get(o), 1.0),
                                pct(mag.get(o), 0.5),
                                samples.size(),
                                cal.crops(stage));
                        table.append(line).append('\n');
                    }
                }
            }
            LOG.info("{}", table);
        }
    }

    /**
     * For each quantised node of each stage's model as its {@link #PLAN} (else first convolution and heads float,
     * min-max) quantises it: the mean absolute error of the first output (on
     * held-back crops) when that one node is kept in float too; the nodes whose float copy removes the most error are
     * listed first.
     */
    static void sensitivity(Path modelDir, Path media, List<HolisticModel> stages) throws Exception {
        Map<HolisticModel, ModelProto> floats = floatModels(modelDir, stages);
        try (Calibration cal = new Calibration(floats, 4)) {
            cal.run(modelDir, Calibration.videos(media), Calibration.images(media));
            for (HolisticModel stage : stages) {
                ModelProto m = floats.get(stage);
                List<float[]> samples = cal.samples(stage);
                samples = samples.subList(0, Math.min(40, samples.size()));
                String in = m.getGraph().getInput(0).getName();
                long[] shape = InputSize.of(m).oneCropShape();
                String out0 = m.getGraph().getOutput(0).getName();
                List<float[]> ref = new ArrayList<>();
                try (OrtRunner r = new OrtRunner(m.toByteArray(), 1)) {
                    for (float[] x : samples) {
                        ref.add(r.run(in, x, shape).get(out0));
                    }
                }
                Plan plan = PLAN.getOrDefault(
                        stage, new Plan(QdqQuantizer.FloatLayers.FIRST_AND_HEADS, Calibration.Method.MIN_MAX));
                java.util.Set<String> base = QdqQuantizer.floatNodes(m, plan.floatLayers());
                Map<String, Double> score = new LinkedHashMap<>();
                List<String> candidates = new ArrayList<>();
                candidates.add("");
                for (ai.onnx.proto.OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
                    if ((n.getOpType().equals("Conv") || n.getOpType().equals("Add")) && !base.contains(n.getName())) {
                        candidates.add(n.getName());
                    }
                }
                for (String c : candidates) {
                    java.util.Set<String> keep = new java.util.HashSet<>(base);
                    if (!c.isEmpty()) {
                        keep.add(c);
                    }
                    ModelProto q = QdqQuantizer.quantize(m, cal.ranges(stage, plan.method()), keep, Map.of());
                    double sum = 0;
                    long count = 0;
                    try (OrtRunner r = new OrtRunner(q.toByteArray(), 1)) {
                        for (int k = 0; k < samples.size(); k++) {
                            float[] a = ref.get(k);
                            float[] b = r.run(in, samples.get(k), shape).get(out0);
                            for (int i = 0; i < a.length; i++) {
                                sum += Math.abs(a[i] - b[i]);
                                count++;
                            }
                        }
                    }
                    score.put(c.isEmpty() ? "(none)" : c, sum / count);
                }
                StringBuilder sb =
                        new StringBuilder("\n" + stage + " mean |err| of " + out0 + " with one more node float:\n");
                score.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue())
                        .forEach(e -> sb.append(String.format("  %-50s %.4f%n", e.getKey(), e.getValue())));
                LOG.info("{}", sb);
            }
        }
    }

    /** Float layers / range method [/sim: ONNX Runtime without fusions, i.e. float kernels on the QDQ values]. */
    static List<String> VARIANTS = List.of(
            "FIRST_AND_HEADS/MIN_MAX",
            "FIRST_AND_HEADS/MIN_MAX/sim",
            "FIRST_AND_HEADS/MEAN_MIN_MAX",
            "NONE/MEAN_MIN_MAX");

    private static double pct(List<Double> v, double p) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[Math.min(a.length - 1, (int) Math.floor(p * (a.length - 1)))];
    }
}
