package io.github.kslr.tools.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.kslr.tools.tflite.LiteRtReference;
import io.github.kslr.tools.tflite.OrtRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each converted model's latency under ONNX Runtime (CPU, 1 thread and 2 threads) next to LiteRT.js's
 * (the .tflite it came from, XNNPACK on WebAssembly, 1 thread), batch 1, random input in the model's range.
 *
 * <pre>
 * java -cp tools/target/kslr-tools.jar io.github.kslr.tools.models.ModelLatency \
 *     --tarball FILE --models DIR [--warmup 20] [--iterations 100] [--only name,...]
 * </pre>
 * A measuring tool for the README's table, not a benchmark harness: the product's hot path is measured with JMH.
 * Run it on an otherwise idle machine; other processes on the same cores show up in the numbers.
 *
 * <p>A command-line entry point only; no shared state.
 */
public final class ModelLatency {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLatency.class);

    private ModelLatency() {}

    public static void main(String[] args) throws Exception {
        Path tarball = null;
        Path models = null;
        int warmup = 20;
        int iterations = 100;
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tarball" -> tarball = Paths.get(args[++i]);
                case "--models" -> models = Paths.get(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (tarball == null || models == null) {
            throw new IllegalArgumentException("usage: --tarball FILE --models DIR [--warmup N] [--iterations N]");
        }
        MediapipeSource source = MediapipeSource.read(tarball);
        Path refDir = Paths.get("tools", "tflite-ref");
        if (!Files.isDirectory(refDir)) {
            refDir = Paths.get("tflite-ref");
        }
        String reason = LiteRtReference.unavailableReason(refDir);
        LiteRtReference ref = reason == null
                ? new LiteRtReference(refDir, Paths.get(System.getProperty("java.io.tmpdir"), "kslr-latency"))
                : null;
        if (ref == null) {
            LOG.warn("no LiteRT.js timings: {}", reason);
        }
        StringBuilder table = new StringBuilder(
                String.format("%n%-28s %16s %16s %16s%n", "model", "ORT 1 thread", "ORT 2 threads", "LiteRT.js"));
        for (ModelCatalog.Spec spec : ModelCatalog.ALL) {
            Path onnxFile = models.resolve(spec.onnxFile());
            if ((only != null && !only.contains(spec.name())) || !Files.isRegularFile(onnxFile)) {
                continue;
            }
            byte[] onnx = Files.readAllBytes(onnxFile);
            InputSize size = InputSize.of(onnx);
            int h = size.height();
            int w = size.width();
            float[] x = new float[h * w * 3];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (spec.input().min()
                        + r.nextDouble() * (spec.input().max() - spec.input().min()));
            }
            double[] ort1 = ort(onnx, spec.input().name(), x, h, w, 1, warmup, iterations);
            double[] ort2 = ort(onnx, spec.input().name(), x, h, w, 2, warmup, iterations);
            String lite = "-";
            if (ref != null) {
                double[] t = ref.run(List.of(
                                new LiteRtReference.Job(source.model(spec.tflite()), List.of(x), warmup, iterations)))
                        .get(0)
                        .timesMs();
                lite = stats(t);
            }
            String line = String.format("%-28s %16s %16s %16s", spec.name(), stats(ort1), stats(ort2), lite);
            LOG.info(line);
            table.append(line).append('\n');
        }
        table.append("(median / 10th-percentile ms over ")
                .append(iterations)
                .append(" runs after ")
                .append(warmup)
                .append(" warm-up runs, batch 1)");
        LOG.info("{}", table);
    }

    private static double[] ort(
            byte[] onnx, String input, float[] x, int h, int w, int threads, int warmup, int iterations)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ByteBuffer direct = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder());
        FloatBuffer fb = direct.asFloatBuffer();
        fb.put(x).rewind();
        try (OrtRunner runner = new OrtRunner(onnx, threads);
                OnnxTensor t = OnnxTensor.createTensor(env, fb, new long[] {1, h, w, 3})) {
            OrtSession s = runner.session();
            for (int i = 0; i < warmup; i++) {
                s.run(Map.of(input, t)).close();
            }
            double[] times = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                s.run(Map.of(input, t)).close();
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            return times;
        }
    }

    private static String stats(double[] t) {
        if (t.length == 0) {
            return "-";
        }
        double[] s = t.clone();
        Arrays.sort(s);
        // The 10th percentile is the least disturbed by other processes on a shared machine.
        return String.format("%.2f / %.2f", s[s.length / 2], s[s.length / 10]);
    }
}
