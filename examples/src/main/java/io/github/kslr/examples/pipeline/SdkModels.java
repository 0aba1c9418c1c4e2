package io.github.kslr.examples.pipeline;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.tts.KhmerVoices;
import io.github.kslr.tts.VitsSpeechOptions;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the example apps load once and share between streams: MediaPipe Holistic's seven models (bundled in
 * kslr-landmarks, or a directory of them), the sign model and, optionally, a Khmer voice.
 * {@link #newSession()} makes one stream's {@link RecognitionSession} on top of them.
 *
 * <p><b>Thread-safety.</b> Thread-safe: sessions for several streams may be made and used at once. {@link #close()}
 * is idempotent; close the sessions first. This object owns every model it loaded.
 */
public final class SdkModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SdkModels.class);

    private final LandmarkerModels landmarkerModels;
    private final SignClassifier classifier;
    private final KhmerSpeech voice;
    private final RecognitionSettings settings;
    private boolean closed;

    private SdkModels(
            LandmarkerModels landmarkerModels,
            SignClassifier classifier,
            KhmerSpeech voice,
            RecognitionSettings settings) {
        this.landmarkerModels = landmarkerModels;
        this.classifier = classifier;
        this.voice = voice;
        this.settings = settings;
    }

    /**
     * Loads the models.
     *
     * @param landmarkModelDir a directory with the seven landmark models, or null for the bundled ones
     * @param signModel        a sign model, or null for the bundled demo model
     * @param voicePath        an ONNX VITS voice, or null for none
     * @param device           where the models run
     */
    public static SdkModels load(Path landmarkModelDir, Path signModel, Path voicePath, ExecutionDevice device) {
        return load(landmarkModelDir, signModel, voicePath, device, RecognitionSettings.DEFAULTS);
    }

    /** Loads the models; sessions recognise with {@code settings} (see the other {@code load}). */
    public static SdkModels load(
            Path landmarkModelDir,
            Path signModel,
            Path voicePath,
            ExecutionDevice device,
            RecognitionSettings settings) {
        return load(landmarkModelDir, signModel, voicePath, device, settings, 1);
    }

    /**
     * Loads the models with {@code landmarkThreads} ONNX Runtime threads a landmark model (1, the default, suits
     * several streams or a busy machine; 2 speed up one stream on idle cores; see {@code LandmarkerModels.Builder}).
     */
    public static SdkModels load(
            Path landmarkModelDir,
            Path signModel,
            Path voicePath,
            ExecutionDevice device,
            RecognitionSettings settings,
            int landmarkThreads) {
        Checks.notNull(settings, "settings");
        return load(
                landmarkModelDir,
                () -> openClassifier(signModel, device, settings.threshold()),
                voicePath,
                device,
                settings,
                landmarkThreads);
    }

    /**
     * Loads the models with the sign classifier {@code classifier} opens (a sign model, or a vocabulary of taught
     * signs); this object owns and closes what it returns.
     */
    public static SdkModels load(
            Path landmarkModelDir,
            java.util.function.Supplier<SignClassifier> classifierOpener,
            Path voicePath,
            ExecutionDevice device,
            RecognitionSettings settings,
            int landmarkThreads) {
        Checks.notNull(settings, "settings");
        Checks.notNull(classifierOpener, "classifierOpener");
        long t0 = System.nanoTime();
        LandmarkerModels.Builder lb = LandmarkerModels.builder().device(device).intraOpThreads(landmarkThreads);
        if (landmarkModelDir != null) {
            lb.modelDirectory(landmarkModelDir);
        }
        LandmarkerModels lm = lb.build();
        SignClassifier classifier = null;
        KhmerSpeech speech = null;
        try {
            classifier = Checks.notNull(classifierOpener.get(), "the opened classifier");
            if (voicePath != null) {
                speech = KhmerVoices.open(
                        voicePath, VitsSpeechOptions.builder().device(device).build());
            }
        } catch (RuntimeException e) {
            if (classifier != null) {
                classifier.close();
            }
            lm.close();
            throw e;
        }
        LOG.info("models loaded in {} ms (landmarks on {})", (System.nanoTime() - t0) / 1_000_000, lm.device());
        return new SdkModels(lm, classifier, speech, settings);
    }

    /** The given sign model, else the demo model bundled in kslr-recognizer. */
    static SignClassifier openClassifier(Path signModel, ExecutionDevice device, float threshold) {
        if (signModel != null) {
            return OnnxSignClassifier.builder()
                    .model(signModel)
                    .device(device)
                    .confidenceThreshold(threshold)
                    .build();
        }
        if (!hasBundledSignModel()) {
            throw new InvalidInputException("no sign model: pass --model MODEL.onnx (this build of kslr-recognizer"
                    + " bundles no demo model)");
        }
        return OnnxSignClassifier.builder()
                .model(DemoSignModel.source(SdkModels.class.getClassLoader()))
                .device(device)
                .confidenceThreshold(threshold)
                .build();
    }

    /** Whether the demo sign model (ASL coffee-shop signs with Khmer translations) is on the classpath. */
    public static boolean hasBundledSignModel() {
        return SdkModels.class.getClassLoader().getResource(DemoSignModel.RESOURCE) != null;
    }

    /**
     * A new stream: a landmarker in video mode over the shared models, and its recognition state. Every part is
     * detected (the web demo draws them all).
     */
    public RecognitionSession newSession() {
        return newSession(true);
    }

    /**
     * A new stream, as {@link #newSession()}; with {@code allParts} false the landmarker skips the face branch when
     * the sign model reads no face point (e.g. the bundled demo model), which makes a frame about 15 % cheaper.
     */
    public RecognitionSession newSession(boolean allParts) {
        boolean face =
                allParts || classifier == null || classifier.metadata().layout().uses(LandmarkPart.FACE);
        Landmarker landmarker = HolisticLandmarker.builder(landmarkerModels)
                .runningMode(RunningMode.VIDEO)
                .faceLandmarks(face)
                .build();
        return new SdkSession(landmarker, classifier, settings);
    }

    /** The sign model's metadata (labels, layout, window length), or null without a sign model. */
    public SignModelMetadata signModel() {
        return classifier == null ? null : classifier.metadata();
    }

    /** The voice, or null when none was given. Owned by this object. */
    public KhmerSpeech voice() {
        return voice;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (voice != null) {
                voice.close();
            }
            if (classifier != null) {
                classifier.close();
            }
        } finally {
            landmarkerModels.close();
        }
    }
}
