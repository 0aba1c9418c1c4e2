package io.github.kslr.landmarks;

import io.github.kslr.api.Checks;
import io.github.kslr.api.EngineBuilder;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelOptions;
import io.github.kslr.api.ModelSource;
import io.github.kslr.onnx.GuardedSession;
import io.github.kslr.onnx.OnnxSessions;
import io.github.kslr.onnx.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import org.bytedeco.opencv.global.opencv_core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seven MediaPipe models Holistic needs (pose detection, pose landmarks, hand re-crop, hand landmarks, palm
 * detection, face detection, face landmarks), loaded once as ONNX Runtime sessions and shared by any number of
 * {@link HolisticLandmarker}s, one per video stream.
 *
 * <p>The stages are listed, each once, in {@link HolisticModel}. By default the models bundled in this jar are used ({@code io/github/kslr/landmarks/models/*.onnx}, converted
 * from the {@code .tflite} files of {@code @mediapipe/holistic} 0.5.1675471629; see {@code manifest.json} there).
 *
 * <p>Building one sets OpenCV's process-wide thread count to 1 unless {@link Builder#openCvThreads(int)} says
 * otherwise (see there why).
 *
 * <p><b>Thread-safety.</b> Thread-safe: sessions may be used by several landmarkers at once. {@link #close()} waits
 * for inference in flight, is idempotent, and makes every landmarker that still uses these models fail with
 * {@code ClosedException}. The models own their native sessions; close them after the landmarkers.
 */
public final class LandmarkerModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LandmarkerModels.class);
    static final String RESOURCE_DIR = "io/github/kslr/landmarks/models/";
    /** The file name ending of a stage's int8 model, beside its float {@code NAME.onnx}. */
    public static final String INT8_SUFFIX = ".int8.onnx";
    /** One session a stage, in the graph's order. */
    private final EnumMap<HolisticModel, GuardedSession> sessions = new EnumMap<>(HolisticModel.class);

    private final ExecutionDevice device;
    private final CropObserver cropObserver;
    private final EnumMap<HolisticModel, ModelPrecision> precisions = new EnumMap<>(HolisticModel.class);

    private LandmarkerModels(Builder b) {
        this.cropObserver = b.cropObserver;
        if (b.openCvThreads >= 0) {
            // OpenCV's pool is process-wide. The crops are tiny; OpenCV's workers fighting ONNX Runtime's spinning
            // threads made a video frame ~4x slower on 2 cores (measured: 120-200 ms vs 31 ms), so KSLR asks for 1.
            int before = opencv_core.getNumThreads();
            opencv_core.setNumThreads(b.openCvThreads);
            if (before != opencv_core.getNumThreads()) {
                LOG.info(
                        "OpenCV threads set from {} to {} (LandmarkerModels.Builder.openCvThreads)",
                        before,
                        opencv_core.getNumThreads());
            }
        }
        SessionSettings settings = SessionSettings.of(b.modelOptions());
        try {
            for (HolisticModel model : HolisticModel.values()) {
                ModelSource source = b.source(model);
                precisions.put(model, source == b.models.get(model) ? null : b.precisionOf(model));
                sessions.put(model, OnnxSessions.open(source, settings));
            }
        } catch (RuntimeException e) {
            sessions.values().forEach(GuardedSession::close);
            throw e;
        }
        device = sessions.get(HolisticModel.POSE_LANDMARK).device();
    }

    /** The session of {@code model}'s stage. */
    GuardedSession session(HolisticModel model) {
        return sessions.get(model);
    }

    /** The observer of model inputs, or null. */
    CropObserver cropObserver() {
        return cropObserver;
    }

    /**
     * The precision {@code stage} runs at: {@link ModelPrecision#INT8} only where an int8 model was found for it, and
     * null when the stage's model was set with {@link Builder#model} (whatever it holds).
     */
    public ModelPrecision precision(HolisticModel stage) {
        return precisions.get(Checks.notNull(stage, "stage"));
    }

    /** The bundled models on the CPU. */
    public static LandmarkerModels load() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The device the sessions run on (the CPU after a CUDA fallback). */
    public ExecutionDevice device() {
        return device;
    }

    @Override
    public void close() {
        sessions.values().forEach(GuardedSession::close);
    }

    /**
     * Options for {@link LandmarkerModels}: device (default CPU), ONNX Runtime intra-op threads per session (default 1,
     * not spinning), an optional directory holding the seven {@code NAME.onnx} files instead of the bundled ones, and
     * any one stage's model from elsewhere (a variant such as {@code pose_landmark_heavy}: {@link #model}).
     *
     * <p>One thread a session is the best when several streams share the cores or the machine is busy; 0 threads
     * ({@link #intraOpThreads}) = one a core. More threads help a single stream on an idle machine and slow several
     * streams sharing the cores (figures: benchmarks/README.md).
     *
     * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
     */
    public static final class Builder extends EngineBuilder<Builder> {
        private Path directory;
        private int openCvThreads = 1;
        private final EnumMap<HolisticModel, ModelSource> models = new EnumMap<>(HolisticModel.class);
        private ModelPrecision precision = ModelPrecision.FP32;
        private CropObserver cropObserver;

        private Builder() {
            // One thread a session: the best for several streams (one a core) and on a busy machine. Seven sessions
            // called one after another with OpenCV work in between: spinning pools only steal each other's cores (2
            // threads a session on 2 cores: 77.8 ms a frame spinning, 20.9 ms not; LandmarkerBenchmark -p threads=2).
            super(new ModelOptions(ExecutionDevice.cpu(), 1, false));
        }

        /**
         * The models' arithmetic (default {@link ModelPrecision#FP32}): {@link ModelPrecision#INT8} loads
         * {@code NAME.int8.onnx} for each stage that has one (bundled, or in the {@link #modelDirectory}) and the float
         * model for the others; a stage set with {@link #model} keeps that model. The int8 models are made by
         * {@code tools/convert-models.sh --int8}.
         */
        public Builder precision(ModelPrecision precision) {
            this.precision = Checks.notNull(precision, "precision");
            return this;
        }

        /**
         * Shows each model input to {@code observer} before the model runs (calibration of quantised models on the
         * landmarker's own crops); null for none (the default).
         */
        public Builder cropObserver(CropObserver observer) {
            this.cropObserver = observer;
            return this;
        }

        /**
         * Loads {@code pose_detection.onnx}, {@code pose_landmark_full.onnx}, ... ({@link HolisticModel#bundledName()}
         * {@code + ".onnx"}) from this directory, except the stages {@link #model} sets.
         */
        public Builder modelDirectory(Path directory) {
            this.directory = Checks.notNull(directory, "directory");
            return this;
        }

        /**
         * OpenCV's (process-wide) thread count, set when the models are built: default 1, since the landmarker's
         * crops are small and OpenCV's worker threads competing with ONNX Runtime's made frames several times slower;
         * 0 lets OpenCV choose; -1 leaves OpenCV's setting alone.
         */
        public Builder openCvThreads(int threads) {
            this.openCvThreads =
                    threads == -1 ? -1 : Checks.threadCount(threads, 0, "openCvThreads (-1 = leave OpenCV" + " alone)");
            return this;
        }

        /**
         * The model of one stage from {@code source} instead of the bundled file (or the model directory's): a variant
         * with the same inputs and outputs, e.g. {@code model(HolisticModel.POSE_LANDMARK,
         * ModelSource.ofPath(dir.resolve("pose_landmark_heavy.onnx")))} for BlazePose heavy (convert it with
         * {@code tools/convert-models.sh}). A model whose outputs are not the stage's fails when a landmarker is built.
         */
        public Builder model(HolisticModel stage, ModelSource source) {
            models.put(Checks.notNull(stage, "stage"), Checks.notNull(source, "source"));
            return this;
        }

        private ModelSource source(HolisticModel model) {
            ModelSource set = models.get(model);
            if (set != null) {
                return set;
            }
            String file = model.bundledName() + (precisionOf(model) == ModelPrecision.INT8 ? INT8_SUFFIX : ".onnx");
            return directory != null
                    ? ModelSource.ofPath(directory.resolve(file))
                    : ModelSource.ofResource(LandmarkerModels.class.getClassLoader(), RESOURCE_DIR + file);
        }

        /** INT8 where asked for and an int8 file exists for the stage, else FP32. */
        private ModelPrecision precisionOf(HolisticModel model) {
            if (precision != ModelPrecision.INT8) {
                return ModelPrecision.FP32;
            }
            String file = model.bundledName() + INT8_SUFFIX;
            boolean exists = directory != null
                    ? Files.isRegularFile(directory.resolve(file))
                    : LandmarkerModels.class.getClassLoader().getResource(RESOURCE_DIR + file) != null;
            return exists ? ModelPrecision.INT8 : ModelPrecision.FP32;
        }

        public LandmarkerModels build() {
            if (directory != null && !Files.isDirectory(directory)) {
                throw new InvalidInputException("modelDirectory must be an existing directory, was " + directory);
            }
            return new LandmarkerModels(this);
        }
    }
}
