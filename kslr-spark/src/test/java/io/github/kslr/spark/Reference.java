package io.github.kslr.spark;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.video.VideoFrames;
import io.github.kslr.video.VideoLandmarks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the command line gives for a video, computed here through the library path the commands run: {@code kslr
 * landmarks} (video mode, its default options) and {@code kslr dataset}'s landmarker (face branch only when the
 * layout reads the face).
 */
final class Reference {
    private Reference() {}

    /** {@code kslr landmarks VIDEO --mode video [--max-frames N]}: landmarks of each frame. */
    static List<HolisticLandmarks> landmarks(Path video, int maxFrames) throws IOException {
        return eachFrame(video, maxFrames, b -> b.smoothLandmarks(true));
    }

    /** {@code kslr dataset}'s landmarks of a recording, as its landmarker finds them for {@code layout}. */
    static List<HolisticLandmarks> datasetLandmarks(Path video, FeatureLayout layout) throws IOException {
        return eachFrame(video, 0, b -> b.faceLandmarks(layout.uses(LandmarkPart.FACE)));
    }

    /**
     * Landmarks of the first {@code maxFrames} frames (0 = all) by a video-mode landmarker on the CPU with the palm
     * fallback and the face branch on the calling thread, which {@code options} adjusts as the command does.
     */
    private static List<HolisticLandmarks> eachFrame(
            Path video, int maxFrames, UnaryOperator<HolisticLandmarker.Builder> options) throws IOException {
        try (LandmarkerModels models = LandmarkerModels.builder()
                        .device(ExecutionDevice.parse("cpu"))
                        .intraOpThreads(1)
                        .build();
                HolisticLandmarker landmarker = options.apply(HolisticLandmarker.builder(models)
                                .runningMode(RunningMode.VIDEO)
                                .palmFallback(true)
                                .faceInParallel(false))
                        .build();
                VideoFrames source = VideoFrames.open(video.toString())) {
            List<HolisticLandmarks> all = new ArrayList<>();
            VideoLandmarks.forEachFrame(landmarker, source, maxFrames, (i, frame, lm, nanos) -> all.add(lm));
            return all;
        }
    }

    /** Frames with at least one hand. */
    static int countWithHands(List<HolisticLandmarks> frames) {
        return (int) frames.stream().filter(HolisticLandmarks::hasAnyHand).count();
    }
}
