package io.github.kslr.examples.cli;

import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.landmarks.ModelPrecision;
import io.github.kslr.video.VideoFrames;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the commands that find landmarks in video files ({@code landmarks}, {@code dataset} and
 * {@code enrol}): device, ONNX Runtime threads, the palm fallback, the face branch's thread, the models' precision and
 * how the videos are read ({@link MediaInputOptions}) (a picocli mixin; not thread-safe).
 */
final class LandmarkerOptions {

    @Option(names = "--no-palm", description = "Holistic's exact behaviour: no palm-detection fallback for hands")
    boolean noPalm;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime threads per model; 0 = one per core (default ${DEFAULT-VALUE}, fastest on a"
                    + " small or busy machine)")
    int threads;

    @Mixin
    DeviceOptions device = new DeviceOptions();

    @Option(
            names = "--face-in-parallel",
            description = "run the face branch on a second thread while the hands are found (faster when a core is"
                    + " free; the same landmarks)")
    boolean faceInParallel;

    @Option(
            names = "--int8",
            description = "the int8 landmark models where bundled, float for the other stages; none is bundled"
                    + " now (the float models ran faster than every int8 one that held the parity tests), so this"
                    + " runs the float models")
    boolean int8;

    @Mixin
    MediaInputOptions media = new MediaInputOptions();

    /** Opens a video file, an image or camera:N to find landmarks in, as {@code --accept-partial} says. */
    VideoFrames openVideo(String input) {
        return media.open(input);
    }

    /** The bundled models on the chosen device with the chosen threads and precision; the caller closes them. */
    LandmarkerModels loadModels() {
        return LandmarkerModels.builder()
                .device(device.device())
                .intraOpThreads(threads)
                .precision(int8 ? ModelPrecision.INT8 : ModelPrecision.FP32)
                .build();
    }

    /**
     * A landmarker builder over {@code models} with the chosen palm fallback and face thread; the caller sets what
     * depends on its input (running mode, smoothing, the face branch) and builds it.
     */
    HolisticLandmarker.Builder landmarker(LandmarkerModels models) {
        return HolisticLandmarker.builder(models).palmFallback(!noPalm).faceInParallel(faceInParallel);
    }
}
