package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignEmbedderMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY stand-in for kslr-recognizer's {@code TakeRecorder} (being added on main), only so that the web demo's
 * "Teach a sign" compiles and runs before it lands: same contract, simpler rule (frames as given; the window with the
 * most hand frames, nearest the middle). Deleted when main is merged.
 *
 * <p><b>Thread-safety.</b> Not thread-safe.
 */
public final class TakeRecorder {
    private final FeatureLayout layout;
    private final int windowLength;
    private final List<float[]> features = new ArrayList<>();
    private final List<Long> timestamps = new ArrayList<>();
    private final List<Boolean> hands = new ArrayList<>();

    private TakeRecorder(FeatureLayout layout, int windowLength) {
        this.layout = Checks.notNull(layout, "layout");
        this.windowLength = Checks.positive(windowLength, "windowLength");
    }

    public static TakeRecorder of(FeatureLayout layout, int windowLength, double frameRate) {
        return new TakeRecorder(layout, windowLength);
    }

    public static TakeRecorder forEmbedder(SignEmbedderMetadata embedder) {
        return of(embedder.model().layout(), embedder.model().sequenceLength(), embedder.model().frameRate());
    }

    public void add(HolisticLandmarks landmarks) {
        Checks.notNull(landmarks, "landmarks");
        features.add(layout.toFeatures(landmarks));
        timestamps.add(landmarks.timestampMs());
        hands.add(landmarks.hasAnyHand());
    }

    public int frameCount() {
        return features.size();
    }

    public void clear() {
        features.clear();
        timestamps.clear();
        hands.clear();
    }

    public TakeWindow window() {
        int m = features.size();
        if (m == 0) {
            throw new InvalidInputException("the take has no frames");
        }
        if (!hands.contains(true)) {
            throw new InvalidInputException("no frame of the take shows a hand (" + m + " frames): sign with your"
                    + " hands in view of the camera");
        }
        int start = 0;
        int best = -1;
        double middle = Math.max(0, m - windowLength) / 2.0;
        for (int s = 0; s <= Math.max(0, m - windowLength); s++) {
            int h = 0;
            for (int i = s; i < Math.min(m, s + windowLength); i++) {
                h += hands.get(i) ? 1 : 0;
            }
            if (h > best || h == best && Math.abs(s - middle) < Math.abs(start - middle)) {
                best = h;
                start = s;
            }
        }
        int used = Math.min(m, windowLength);
        int f = layout.size();
        float[] window = new float[windowLength * f];
        for (int t = 0; t < windowLength; t++) {
            System.arraycopy(features.get(start + Math.min(t, used - 1)), 0, window, t * f, f);
        }
        int last = start + used - 1;
        return new TakeWindow(window, start, last, timestamps.get(start), timestamps.get(last), best,
                m < windowLength);
    }

    public record TakeWindow(float[] window, int firstFrame, int lastFrame, long startMs, long endMs, int handFrames,
            boolean padded) {
    }
}
