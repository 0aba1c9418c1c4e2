package io.github.kslr.spark;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import java.io.Serializable;

/**
 * How executors load the landmark models and build landmarkers: {@code kslr landmarks}' options with their defaults
 * (CPU, one ONNX Runtime thread a model, palm fallback and pose smoothing on), always in video mode.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param device         cpu, cuda or cuda:N
 * @param threads        ONNX Runtime threads a model (0 = one a core)
 * @param palmFallback   find hands with the palm detector where the pose gives none
 * @param smooth         MediaPipe's pose smoothing
 * @param faceInParallel run the face branch on a second thread
 */
public record LandmarkerSettings(
        String device, int threads, boolean palmFallback, boolean smooth, boolean faceInParallel)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code kslr landmarks}' defaults. */
    public static LandmarkerSettings defaults() {
        return new LandmarkerSettings("cpu", 1, true, true, false);
    }

    /** The models these settings ask for; the caller closes them. */
    LandmarkerModels loadModels() {
        return LandmarkerModels.builder()
                .device(ExecutionDevice.parse(device))
                .intraOpThreads(threads)
                .build();
    }

    /** A landmarker over {@code models}, built as {@code kslr landmarks} builds one for a video. */
    HolisticLandmarker landmarker(LandmarkerModels models) {
        return HolisticLandmarker.builder(models)
                .runningMode(RunningMode.VIDEO)
                .smoothLandmarks(smooth)
                .palmFallback(palmFallback)
                .faceInParallel(faceInParallel)
                .build();
    }
}
