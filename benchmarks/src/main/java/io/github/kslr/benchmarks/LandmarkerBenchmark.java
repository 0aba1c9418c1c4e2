package io.github.kslr.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.landmarks.ModelPrecision;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The holistic landmarker, whole pipeline and per model.
 *
 * <ul>
 *   <li>{@code videoFrame}: one {@link HolisticLandmarker#detect} in video mode (tracking, smoothing) on the frames of
 *       {@code ../shared/media/signing/test_video.mp4} (540 x 720; override with {@code -p video=PATH}), cycling
 *       through the clip with increasing timestamps: pose, both hands, face, crops and decoding included.
 *       {@code palm=false} is Holistic's exact graph, {@code palm=true} adds the palm-detection fallback for hands
 *       the pose does not give. Frames are decoded once at setup with javacv's FFmpeg, in this process.</li>
 *   <li>{@code stage}: one inference of one bundled model ({@code -p model=NAME}) on a fixed random input through
 *       reused direct tensors and pinned outputs, as the landmarker runs it: the per-stage cost.</li>
 *   <li>{@code precision}: {@code fp32} or {@code int8} ({@link LandmarkerModels.Builder#precision}); both run by
 *       default so that one run gives the ratio.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LandmarkerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}; frames/s =
 * 1000 / (ms a frame). Compare with {@code node tools/mediapipe-reference/reference.mjs VIDEO --out x.json --timing t.json}
 * (MediaPipe's own WASM holistic) on the same machine in the same session.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LandmarkerBenchmark extends SuiteMeasurement {

    /** The whole pipeline on a real clip. */
    @State(Scope.Thread)
    public static class Pipeline {
        @Param({"../shared/media/signing/test_video.mp4"})
        public String video;

        @Param({"false", "true"})
        public boolean palm;

        /** Frames between palm searches while a hand is present ({@link HolisticLandmarker.Builder#palmInterval}). */
        @Param({"5"})
        public int palmInterval;

        @Param({"cpu"})
        public String device;

        /** ONNX Runtime threads per model (the landmarker's default is 1). */
        @Param({"1"})
        public int threads;

        /** The face branch ({@link HolisticLandmarker.Builder#faceLandmarks}); off for models that read no face. */
        @Param({"true"})
        public boolean face;

        /** The face branch on a second thread ({@link HolisticLandmarker.Builder#faceInParallel}). */
        @Param({"false"})
        public boolean faceInParallel;

        /** The models' arithmetic ({@link LandmarkerModels.Builder#precision}): fp32 or int8. */
        @Param({"fp32", "int8"})
        public String precision;

        /** Empty for the bundled models, else a folder of models ({@link LandmarkerModels.Builder#modelDirectory}). */
        @Param({""})
        public String modelDir;

        LandmarkerModels models;
        HolisticLandmarker landmarker;
        List<ImageFrame> frames;
        int next;
        long timestampMs;
        int[] found = new int[4];
        int detected;

        @Setup(Level.Trial)
        public void setUp() throws IOException, InterruptedException {
            frames = decode(Paths.get(video));
            LandmarkerModels.Builder b = LandmarkerModels.builder()
                    .device(ExecutionDevice.parse(device))
                    .intraOpThreads(threads)
                    .precision(precision(precision));
            models = (modelDir.isEmpty() ? b : b.modelDirectory(Paths.get(modelDir))).build();
            landmarker = HolisticLandmarker.builder(models)
                    .runningMode(RunningMode.VIDEO)
                    .palmFallback(palm)
                    .palmInterval(palmInterval)
                    .faceLandmarks(face)
                    .faceInParallel(faceInParallel)
                    .build();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf(
                    "%n[landmarker] %d frames detected: pose %d, left hand %d, right hand %d, face %d%n",
                    detected, found[0], found[1], found[2], found[3]);
            landmarker.close();
            models.close();
        }
    }

    /** One model's inference. */
    @State(Scope.Thread)
    public static class Stage {
        @Param({
            "pose_detection",
            "pose_landmark_full",
            "hand_recrop",
            "hand_landmark_full",
            "palm_detection_full",
            "face_detection_short_range",
            "face_landmark"
        })
        public String model;

        /** ONNX Runtime threads (the landmarker's default is 1). */
        @Param({"1"})
        public int stageThreads;

        /** fp32, or int8: the stage's {@code NAME.int8.onnx} where one is bundled (else its float model again). */
        @Param({"fp32", "int8"})
        public String precision;

        /**
         * Empty for the bundled models, else a folder holding {@code NAME.onnx} and maybe {@code NAME.int8.onnx} (the
         * candidates {@code Int8Models --variants} writes).
         */
        @Param({""})
        public String stageModelDir;

        GuardedSession session;
        OnnxTensor input;
        Map<String, OnnxTensor> inputs;
        Map<String, OnnxTensor> outputs = new LinkedHashMap<>();

        @Setup(Level.Trial)
        public void setUp() throws OrtException {
            String dir = "io/github/kslr/landmarks/models/";
            ClassLoader loader = LandmarkerModels.class.getClassLoader();
            boolean int8 = precision(precision) == ModelPrecision.INT8
                    && (stageModelDir.isEmpty()
                            ? loader.getResource(dir + model + LandmarkerModels.INT8_SUFFIX) != null
                            : Files.isRegularFile(Paths.get(stageModelDir, model + LandmarkerModels.INT8_SUFFIX)));
            String file = int8 ? model + LandmarkerModels.INT8_SUFFIX : model + ".onnx";
            session = OnnxSessions.open(
                    stageModelDir.isEmpty()
                            ? ModelSource.ofResource(loader, dir + file)
                            : ModelSource.ofPath(Paths.get(stageModelDir, file)),
                    SessionSettings.defaults().withIntraOpThreads(stageThreads));
            Map.Entry<String, ai.onnxruntime.NodeInfo> in =
                    session.inputs().entrySet().iterator().next();
            long[] shape = ((TensorInfo) in.getValue().getInfo()).getShape().clone();
            shape[0] = 1;
            FloatBuffer b = direct((int) (shape[1] * shape[2] * shape[3]));
            Random r = new Random(1);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, r.nextFloat());
            }
            input = OnnxTensor.createTensor(session.environment(), b, shape);
            inputs = Map.of(in.getKey(), input);
            for (Map.Entry<String, ai.onnxruntime.NodeInfo> o :
                    session.outputs().entrySet()) {
                // As the landmarker: the pose model's segmentation and the hand model's world landmarks are not
                // requested, so ONNX Runtime skips the nodes only they need.
                if (model.equals("pose_landmark_full") && o.getKey().equals("Identity_2")
                        || model.equals("hand_landmark_full") && o.getKey().equals("Identity_3")) {
                    continue;
                }
                long[] s = ((TensorInfo) o.getValue().getInfo()).getShape().clone();
                long n = 1;
                for (int i = 0; i < s.length; i++) {
                    s[i] = s[i] < 0 ? 1 : s[i];
                    n *= s[i];
                }
                outputs.put(o.getKey(), OnnxTensor.createTensor(session.environment(), direct((int) n), s));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            input.close();
            outputs.values().forEach(OnnxTensor::close);
            session.close();
        }
    }

    static ModelPrecision precision(String name) {
        return switch (name) {
            case "fp32" -> ModelPrecision.FP32;
            case "int8" -> ModelPrecision.INT8;
            default -> throw new IllegalArgumentException("precision must be fp32 or int8, was " + name);
        };
    }

    static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * Decodes every frame to packed RGB in this process with javacv's FFmpeg (no ffmpeg program needed), converting
     * with swscale's bicubic filter as the {@code ffmpeg} program does by default, so the pixels are the ones the
     * reference tool feeds MediaPipe. A {@code NAME.rgb} file is taken as frames already decoded: raw packed RGB
     * with its size as {@code WIDTHxHEIGHT} in {@code NAME.size} beside it (the GPU kit's clip,
     * {@code tools/gpu/prepare-kit.sh}, for a machine whose kit carries no FFmpeg).
     */
    static List<ImageFrame> decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("video " + file.toAbsolutePath() + " not found (pass -p video=PATH)");
        }
        String name = file.getFileName().toString();
        List<ImageFrame> frames = new ArrayList<>();
        if (name.endsWith(".rgb")) {
            Path sizeFile = file.resolveSibling(name.substring(0, name.length() - 4) + ".size");
            String[] wh =
                    Files.readString(sizeFile, StandardCharsets.UTF_8).trim().split("x");
            int w = Integer.parseInt(wh[0].trim());
            int h = Integer.parseInt(wh[1].trim());
            try (InputStream in = Files.newInputStream(file)) {
                for (byte[] buf = in.readNBytes(w * h * 3); buf.length == w * h * 3; buf = in.readNBytes(w * h * 3)) {
                    frames.add(packed(w, h, ByteBuffer.wrap(buf)));
                }
            }
        } else {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR); // not FFmpeg's stream banner on stderr
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
                grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
                grabber.setImageScalingFlags(swscale.SWS_BICUBIC);
                grabber.start();
                for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                    ByteBuffer px = (ByteBuffer) f.image[0];
                    ByteBuffer rows = ByteBuffer.allocate(f.imageWidth * f.imageHeight * 3);
                    for (int y = 0; y < f.imageHeight; y++) {
                        rows.put(y * f.imageWidth * 3, px, y * f.imageStride, f.imageWidth * 3);
                    }
                    frames.add(packed(f.imageWidth, f.imageHeight, rows));
                }
                grabber.stop();
            } catch (FrameGrabber.Exception e) {
                throw new IOException("FFmpeg cannot decode " + file + ": " + e.getMessage(), e);
            }
        }
        if (frames.isEmpty()) {
            throw new IOException("no frame was decoded from " + file);
        }
        return frames;
    }

    /** A frame of packed RGB in a direct buffer of its own, as a camera driver would hand it over. */
    private static ImageFrame packed(int w, int h, ByteBuffer rgb) {
        ByteBuffer d = ByteBuffer.allocateDirect(w * h * 3);
        d.put(rgb.position(0)).flip();
        return ImageFrame.packed(w, h, PixelFormat.RGB, d, 0);
    }

    @Benchmark
    public HolisticLandmarks videoFrame(Pipeline p) {
        if (p.next == p.frames.size()) {
            // Start the clip again as a new stream, as a camera loop would after a cut.
            p.next = 0;
            p.landmarker.reset();
        }
        p.timestampMs += 33;
        HolisticLandmarks r = p.landmarker.detect(p.frames.get(p.next++).withTimestamp(p.timestampMs));
        p.detected++;
        p.found[0] += r.pose().isPresent() ? 1 : 0;
        p.found[1] += r.leftHand().isPresent() ? 1 : 0;
        p.found[2] += r.rightHand().isPresent() ? 1 : 0;
        p.found[3] += r.face().isPresent() ? 1 : 0;
        return r;
    }

    @Benchmark
    public Map<String, OnnxTensor> stage(Stage s) {
        s.session.run(s.inputs, s.outputs);
        return s.outputs;
    }
}
