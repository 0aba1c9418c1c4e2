package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.Candidate;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.testing.WindowClassifier;
import io.github.kslr.recognizer.SignRecognizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Training and recognition cut the same windows: a {@link SignRecognizer} resampling to the training rate sees, frame
 * for frame, the windows {@link RecordingWindows} cuts from the same recording for training.
 */
class LiveWindowsTest {
    private static final int LENGTH = 6;
    private static final SignModelMetadata META =
            SignModelMetadata.of(List.of("a"), FeatureLayout.of("left_hand:0:xyz"), LENGTH);

    /** Records the frame indices (x of the one landmark, minus 1) of every window it classifies. */
    private static final class Recorder extends WindowClassifier {
        final List<List<Integer>> windows = new ArrayList<>();

        @Override
        public SignModelMetadata metadata() {
            return META;
        }

        @Override
        public Prediction classify(float[] window) {
            List<Integer> frames = new ArrayList<>();
            for (int i = 0; i < window.length; i += 3) {
                frames.add(Math.round(window[i]) - 1);
            }
            windows.add(frames);
            SignLabel a = META.labels().get(0);
            return new Prediction(a, 1f, true, List.of(new Candidate(a, 1f)));
        }
    }

    @Test
    void aRecognizerAtTheTrainingRateSeesTheTrainingWindows() {
        SplittableRandom random = new SplittableRandom(11);
        for (double fps : new double[] {30, 25, 359 / 12.0, 60}) {
            for (int clip = 0; clip < 20; clip++) {
                // Frames 10-120 ms apart: a camera dropping frames under load, or a faster one.
                long[] times = new long[40 + random.nextInt(40)];
                times[0] = random.nextInt(1000);
                for (int i = 1; i < times.length; i++) {
                    times[i] = times[i - 1] + 10 + random.nextInt(111);
                }
                List<List<Integer>> training = new ArrayList<>();
                for (int[] w : new RecordingWindows(LENGTH, fps, 1).windows(times)) {
                    training.add(Arrays.stream(w).boxed().toList());
                }
                Recorder live = new Recorder();
                SignRecognizer r = SignRecognizer.builder(live).frameRate(fps).build();
                for (int i = 0; i < times.length; i++) {
                    r.acceptFeatures(new float[] {i + 1, 0.5f, 0.5f}, times[i]);
                }
                String where = fps + " frames/s, clip " + clip;
                // The live recognizer takes a sample once a later frame arrives: the last one may still be pending.
                int pending = training.size() - live.windows.size();
                assertTrue(pending == 0 || pending == 1, where + ": " + pending);
                assertEquals(training.subList(0, live.windows.size()), live.windows, where);
                assertTrue(live.windows.size() > 5, where);
            }
        }
    }
}
