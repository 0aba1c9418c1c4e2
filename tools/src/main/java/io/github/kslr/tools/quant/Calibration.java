package io.github.kslr.tools.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.HolisticModel;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.tools.tflite.OrtRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Activation ranges of the landmark models, measured on the crops the landmarker itself cuts from real media: the
 * float landmarker runs over the videos (video mode: tracking as in use) and images (image mode: the detectors on
 * every image), and every model input it makes is also run through a copy of that model that exposes its
 * intermediate tensors ({@link QdqQuantizer#withOutputs}); each tensor's minimum and maximum over all crops is its
 * range.
 *
 * <p>Media are decoded with Debian's {@code ffmpeg} to RGB (the decoder the parity tests use).
 *
 * <p>Not thread-safe: one calibration at a time.
 */
public final class Calibration implements AutoCloseable {
    /** Per stage: the exposed-activations session and the running ranges. */
    private final Map<HolisticModel, Stage> stages = new EnumMap<>(HolisticModel.class);
    /** Every this many crops one is kept as a sample (for measuring a quantised model's error); 0 keeps none. */
    private final int sampleEvery;

    private static final class Stage {
        final OrtRunner runner;
        final String input;
        final Map<String, double[]> minMax = new HashMap<>();
        int measured;
        final List<float[]> samples = new ArrayList<>();
        /** The measured crops, kept for the histogram pass of {@link Method#PERCENTILE}. */
        final List<float[]> kept = new ArrayList<>();
        /** Per tensor: counts over {@link Calibration#BINS} equal bins between its minimum and maximum; null until needed. */
        Map<String, long[]> histograms;

        long[] shape;
        int crops;

        Stage(OrtRunner runner, String input) {
            this.runner = runner;
            this.input = input;
        }
    }

    /**
     * @param floatModels the float model of each stage to calibrate (the others are run but not measured)
     * @param sampleEvery keep every this many crops of a stage as a {@link #samples sample}, out of the ranges; 0 for
     *     none
     */
    public Calibration(Map<HolisticModel, ModelProto> floatModels, int sampleEvery) throws OrtException {
        this.sampleEvery = sampleEvery;
        for (Map.Entry<HolisticModel, ModelProto> e : floatModels.entrySet()) {
            ModelProto m = e.getValue();
            ModelProto exposed = QdqQuantizer.withOutputs(m, QdqQuantizer.activations(m));
            stages.put(
                    e.getKey(),
                    new Stage(
                            new OrtRunner(exposed.toByteArray(), 1),
                            m.getGraph().getInput(0).getName()));
        }
    }

    /**
     * Runs the float landmarker from {@code modelDir} over {@code videos} (video mode) and {@code images} (image mode,
     * one landmarker for all), measuring every crop of the calibrated stages.
     */
    public void run(Path modelDir, List<Path> videos, List<Path> images) throws IOException, InterruptedException {
        try (LandmarkerModels models = LandmarkerModels.builder()
                .modelDirectory(modelDir)
                .cropObserver(this::observe)
                .build()) {
            for (Path v : videos) {
                try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                        .runningMode(RunningMode.VIDEO)
                        .palmFallback(true)
                        .build()) {
                    decode(v, (f, i, fps) -> lm.detect(f));
                }
            }
            try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                    .runningMode(RunningMode.IMAGE)
                    .palmFallback(true)
                    .build()) {
                for (Path img : images) {
                    decode(img, (f, i, fps) -> lm.detect(f));
                }
            }
        }
    }

    private void observe(HolisticModel stage, FloatBuffer input, int batch, int height, int width) {
        Stage s = stages.get(stage);
        if (s == null) {
            return;
        }
        int item = height * width * 3;
        s.shape = new long[] {1, height, width, 3};
        for (int b = 0; b < batch; b++) {
            float[] x = new float[item];
            input.duplicate().position(b * item).get(x);
            boolean sample = sampleEvery > 0 && s.crops % sampleEvery == sampleEvery - 1;
            s.crops++;
            if (!sample) {
                s.measured++;
            }
            if (sample) {
                // Held back from the ranges, to measure the quantised model on crops it was not calibrated on.
                s.samples.add(x);
                continue;
            }
            s.kept.add(x);
            try {
                for (Map.Entry<String, float[]> e : s.runner
                        .run(s.input, x, new long[] {1, height, width, 3})
                        .entrySet()) {
                    // {min, max, sum of per-crop minima, sum of per-crop maxima}
                    double[] mm = s.minMax.computeIfAbsent(
                            e.getKey(), k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0});
                    float lo = Float.POSITIVE_INFINITY;
                    float hi = Float.NEGATIVE_INFINITY;
                    for (float v : e.getValue()) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                    mm[0] = Math.min(mm[0], lo);
                    mm[1] = Math.max(mm[1], hi);
                    mm[2] += lo;
                    mm[3] += hi;
                }
            } catch (OrtException ex) {
                throw new IllegalStateException(stage + ": calibration run failed: " + ex.getMessage(), ex);
            }
        }
    }

    /** How a tensor's range is made from the crops. */
    public enum Method {
        /** The smallest and largest value over all crops. */
        MIN_MAX(0),
        /** The mean over crops of each crop's smallest and largest value (rare outliers are clipped). */
        MEAN_MIN_MAX(0),
        /**
         * The values at the {@code 1e-5} and {@code 1 - 1e-5} quantiles over all values of all crops (a histogram of
         * {@link Calibration#BINS} bins between the minimum and maximum): the rarest values are clipped so the rest get finer
         * steps.
         */
        PERCENTILE(1e-5),
        /** As {@link #PERCENTILE}, clipping {@code 1e-4} at each end. */
        PERCENTILE_1E4(1e-4),
        /** As {@link #PERCENTILE}, clipping {@code 1e-6} at each end. */
        PERCENTILE_1E6(1e-6);

        /** The share of values clipped at each end; 0 for the min/max methods. */
        final double tail;

        Method(double tail) {
            this.tail = tail;
        }
    }

    /** Histogram bins of {@link Method#PERCENTILE}. */
    static final int BINS = 4096;

    /** The measured ranges of {@code stage}'s tensors (empty when it saw no crop). */
    public Map<String, QdqQuantizer.Range> ranges(HolisticModel stage, Method method) {
        Stage st = stages.get(stage);
        Map<String, QdqQuantizer.Range> out = new HashMap<>();
        if (method.tail > 0) {
            histograms(stage, st).forEach((k, h) -> {
                double[] mm = st.minMax.get(k);
                out.put(k, new QdqQuantizer.Range((float) quantile(h, mm, method.tail), (float)
                        quantile(h, mm, 1 - method.tail)));
            });
            return out;
        }
        st.minMax.forEach((k, v) -> out.put(
                k,
                method == Method.MIN_MAX
                        ? new QdqQuantizer.Range((float) v[0], (float) v[1])
                        : new QdqQuantizer.Range((float) (v[2] / st.measured), (float) (v[3] / st.measured))));
        return out;
    }

    private static Map<String, long[]> histograms(HolisticModel stage, Stage st) {
        if (st.histograms != null) {
            return st.histograms;
        }
        Map<String, long[]> hist = new HashMap<>();
        try {
            for (float[] x : st.kept) {
                long[] shape = st.shape;
                for (Map.Entry<String, float[]> e :
                        st.runner.run(st.input, x, shape).entrySet()) {
                    double[] mm = st.minMax.get(e.getKey());
                    long[] h = hist.computeIfAbsent(e.getKey(), k -> new long[BINS]);
                    double width = (mm[1] - mm[0]) / BINS;
                    for (float v : e.getValue()) {
                        int b = width > 0 ? (int) ((v - mm[0]) / width) : 0;
                        h[Math.max(0, Math.min(BINS - 1, b))]++;
                    }
                }
            }
        } catch (OrtException ex) {
            throw new IllegalStateException(stage + ": calibration run failed: " + ex.getMessage(), ex);
        }
        st.histograms = hist;
        return hist;
    }

    /** The value below which a share {@code q} of the histogram's values lie (bin edges, rounded outwards). */
    private static double quantile(long[] h, double[] minMax, double q) {
        long total = 0;
        for (long c : h) {
            total += c;
        }
        double width = (minMax[1] - minMax[0]) / h.length;
        long seen = 0;
        for (int b = 0; b < h.length; b++) {
            seen += h[b];
            if (seen >= q * total) {
                return q < 0.5 ? minMax[0] + b * width : minMax[0] + (b + 1) * width;
            }
        }
        return minMax[1];
    }

    /** The crops of {@code stage} kept as samples (NHWC floats of one item each). */
    public List<float[]> samples(HolisticModel stage) {
        return stages.get(stage).samples;
    }

    /** How many crops of {@code stage} were seen (samples included). */
    public int crops(HolisticModel stage) {
        return stages.get(stage).crops;
    }

    @Override
    public void close() throws OrtException {
        for (Stage s : stages.values()) {
            s.runner.close();
        }
    }

    /** The calibration media under a {@code shared/media} folder: its videos, and its photos. */
    public static List<Path> videos(Path media) throws IOException {
        return list(media, ".mp4");
    }

    public static List<Path> images(Path media) throws IOException {
        return list(media, ".jpg");
    }

    private static List<Path> list(Path media, String ext) throws IOException {
        try (Stream<Path> s = Files.walk(media)) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext))
                    .sorted()
                    .toList();
        }
    }

    interface FrameSink {
        void frame(ImageFrame frame, int index, double fps);
    }

    /** Decodes {@code file} to packed RGB frames with ffmpeg, feeding each to {@code sink}. */
    static void decode(Path file, FrameSink sink) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=width,height,r_frame_rate",
                        "-of",
                        "csv=p=0",
                        file.toString())
                .start();
        String[] info = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .trim()
                .split(",");
        if (probe.waitFor() != 0 || info.length < 3) {
            throw new IOException("ffprobe cannot read " + file);
        }
        int w = Integer.parseInt(info[0].trim());
        int h = Integer.parseInt(info[1].trim());
        String[] rate = info[2].trim().split("/");
        double fps = rate.length == 2 ? Double.parseDouble(rate[0]) / Double.parseDouble(rate[1]) : 30;
        if (!(fps > 0) || fps > 1000) {
            fps = 30;
        }
        Process ff = new ProcessBuilder(
                        "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int bytes = w * h * 3;
        try (InputStream in = ff.getInputStream()) {
            for (int i = 0; ; i++) {
                byte[] buf = in.readNBytes(bytes);
                if (buf.length < bytes) {
                    break;
                }
                ByteBuffer d = ByteBuffer.allocateDirect(bytes);
                d.put(buf).flip();
                sink.frame(ImageFrame.packed(w, h, PixelFormat.RGB, d, Math.round(i * 1000.0 / fps)), i, fps);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ff.waitFor();
    }
}
