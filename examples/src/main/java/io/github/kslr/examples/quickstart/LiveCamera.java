package io.github.kslr.examples.quickstart;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LiveStream;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.recognizer.SignRecognizer;
import io.github.kslr.video.VideoFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * README's live-camera example, compiled and runnable: camera frames go to a {@link LiveStream} around the
 * recognizer, so the camera loop never waits for the models and frames that arrive while one is processed are
 * dropped (newest kept). A video file stands in for a camera when given: its frames are handed over at the video's
 * own pace, as a camera would deliver them.
 *
 * <pre>
 * java -cp examples/target/kslr.jar io.github.kslr.examples.quickstart.LiveCamera camera:0|VIDEO [MAX_FRAMES]
 * </pre>
 */
public final class LiveCamera {
    private LiveCamera() {}

    /** What a run gave: the stream's counts, the signs in order and the final sentence. */
    public record Result(LiveStream.Stats stats, List<String> signs, String sentence) {
        public Result {
            signs = List.copyOf(signs);
        }
    }

    /** Recognises signs live in {@code input} ({@code camera:N} or a video file), for at most {@code maxFrames}. */
    public static Result run(String input, int maxFrames) throws InterruptedException {
        List<String> signs = Collections.synchronizedList(new ArrayList<>());
        try (SignClassifier classifier = OnnxSignClassifier.builder()
                        .model(DemoSignModel.source())
                        .build();
                LandmarkerModels models = LandmarkerModels.load();
                HolisticLandmarker landmarker = HolisticLandmarker.builder(models)
                        .runningMode(RunningMode.VIDEO)
                        .faceLandmarks(classifier.metadata().layout().uses(LandmarkPart.FACE))
                        .build();
                // A file stands in for a camera: its frames arrive at the video's own pace.
                VideoFrames camera = VideoFrames.open(input).paced(true)) {
            // QuickStart's recognizer; its listener is called on the live stream's thread, hence the synchronized list.
            SignRecognizer recognizer = QuickStart.recognizer(classifier, landmarker, signs);
            try (LiveStream<Optional<Prediction>> live =
                    LiveStream.builder(recognizer::accept).build()) {
                int n = 0;
                for (ImageFrame frame = camera.next(); frame != null && n < maxFrames; frame = camera.next(), n++) {
                    live.offer(frame); // copies the frame: the decoder may reuse its buffer at once
                }
                live.awaitIdle(Duration.ofSeconds(10));
                return new Result(live.stats(), signs, recognizer.sentence().text());
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: LiveCamera camera:N|VIDEO [MAX_FRAMES]");
            System.exit(2);
        }
        Result r = run(args[0], args.length == 2 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE);
        LiveStream.Stats s = r.stats();
        System.out.println(s.offered() + " frames offered, " + s.completed() + " processed, " + s.dropped()
                + " dropped; signs " + r.signs() + ", sentence: "
                + (r.sentence().isEmpty() ? "(nothing recognised)" : r.sentence()));
    }
}
