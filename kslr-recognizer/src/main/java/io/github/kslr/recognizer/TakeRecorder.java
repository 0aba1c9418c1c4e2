package io.github.kslr.recognizer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.FrameResampler;
import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.api.SignModelMetadata;
import java.util.Arrays;
import java.util.Locale;

/**
 * Collects the frames of one <em>take</em> (a short recording of one sign, from a video clip or the camera) and picks
 * the window to enrol: a teacher's take starts and ends with hands lowered or still, and the embedder must see the
 * sign itself.
 *
 * <p>The rule: the take is resampled to the embedder's frame rate with the rule recognition uses
 * ({@link FrameResampler}); of all windows of {@code T} consecutive samples, the one with the most frames showing a
 * hand wins, then the one whose wrists move most (a sign is made where the hands move), then the one nearest the
 * take's middle. A take shorter than {@code T} samples gives one window, its last frame repeated (as
 * {@code kslr dataset} pads a short recording). A take in which no frame shows a hand is refused.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one recorder follows one take at a time; {@link #clear()} starts the
 * next.
 */
public final class TakeRecorder {
    /** The longest take accepted, in frames as given (a minute at 60 frames/s): a take is one sign, not a video. */
    public static final int MAX_FRAMES = 3600;

    private final FeatureLayout layout;
    private final int windowLength;
    private final double frameRate;
    private final int featureSize;
    private float[] features = new float[0];
    /** Per frame: left wrist x, y, right wrist x, y; NaN where that hand is absent. */
    private float[] wrists = new float[0];

    private long[] timestamps = new long[0];
    private int frames;

    private TakeRecorder(FeatureLayout layout, int windowLength, double frameRate) {
        this.layout = Checks.notNull(layout, "layout");
        this.windowLength = Checks.positive(windowLength, "windowLength");
        if (!(frameRate >= 0) || frameRate > SignModelMetadata.MAX_FRAME_RATE) {
            throw new InvalidInputException("frameRate must be 0 (frames as given) or in (0, "
                    + SignModelMetadata.MAX_FRAME_RATE + "], was " + frameRate);
        }
        this.frameRate = frameRate;
        this.featureSize = layout.size();
    }

    /**
     * A recorder for {@code layout} windows of {@code windowLength} frames.
     *
     * @param frameRate the rate takes are resampled to, or 0 to use the frames as given
     */
    public static TakeRecorder of(FeatureLayout layout, int windowLength, double frameRate) {
        return new TakeRecorder(layout, windowLength, frameRate);
    }

    /** A recorder giving the windows an embedder takes (its layout, window length and frame rate). */
    public static TakeRecorder forEmbedder(SignEmbedderMetadata embedder) {
        Checks.notNull(embedder, "embedder");
        SignModelMetadata m = embedder.model();
        return new TakeRecorder(m.layout(), m.sequenceLength(), m.frameRate());
    }

    /**
     * Adds the take's next frame.
     *
     * @throws InvalidInputException for null, a timestamp not after the previous frame's, or a take longer than
     *     {@link #MAX_FRAMES}
     */
    public void add(HolisticLandmarks landmarks) {
        Checks.notNull(landmarks, "landmarks");
        if (frames > 0 && landmarks.timestampMs() <= timestamps[frames - 1]) {
            throw new InvalidInputException("take frames must come in time order: " + landmarks.timestampMs()
                    + " ms after " + timestamps[frames - 1] + " ms");
        }
        if (frames == MAX_FRAMES) {
            throw new InvalidInputException("a take is one sign: at most " + MAX_FRAMES + " frames, got more");
        }
        if (frames == timestamps.length) {
            int capacity = Math.min(MAX_FRAMES, Math.max(64, 2 * frames));
            timestamps = Arrays.copyOf(timestamps, capacity);
            features = Arrays.copyOf(features, capacity * featureSize);
            wrists = Arrays.copyOf(wrists, capacity * 4);
        }
        timestamps[frames] = landmarks.timestampMs();
        layout.write(landmarks, features, frames * featureSize);
        writeWrist(landmarks.leftHand(), frames * 4);
        writeWrist(landmarks.rightHand(), frames * 4 + 2);
        frames++;
    }

    private void writeWrist(LandmarkSet hand, int at) {
        wrists[at] = hand.isPresent() ? hand.x(HandLandmark.WRIST) : Float.NaN;
        wrists[at + 1] = hand.isPresent() ? hand.y(HandLandmark.WRIST) : Float.NaN;
    }

    /** Frames added since the last {@link #clear()}. */
    public int frameCount() {
        return frames;
    }

    /** Forgets the take, to record the next. */
    public void clear() {
        frames = 0;
    }

    /**
     * The window of the take to enrol (see the class description for the rule).
     *
     * @throws InvalidInputException when no frame was added or no frame shows a hand
     */
    public TakeWindow window() {
        if (frames == 0) {
            throw new InvalidInputException("the take has no frames");
        }
        int[] samples = frameRate > 0
                ? FrameResampler.sampleFrames(frameRate, Arrays.copyOf(timestamps, frames))
                : identity(frames);
        int m = samples.length;
        int[] handPrefix = new int[m + 1];
        double[] motionPrefix = new double[m + 1];
        for (int i = 0; i < m; i++) {
            int f = samples[i];
            boolean hand = !Float.isNaN(wrists[f * 4]) || !Float.isNaN(wrists[f * 4 + 2]);
            handPrefix[i + 1] = handPrefix[i] + (hand ? 1 : 0);
            motionPrefix[i + 1] = motionPrefix[i] + (i == 0 ? 0 : wristMotion(samples[i - 1], f));
        }
        if (handPrefix[m] == 0) {
            throw new InvalidInputException("no frame of the take shows a hand (" + frames + " frames): sign with"
                    + " your hands in view of the camera");
        }
        int start = 0;
        if (m > windowLength) {
            double middle = (m - windowLength) / 2.0;
            int bestHands = -1;
            double bestMotion = -1;
            for (int s = 0; s <= m - windowLength; s++) {
                int hands = handPrefix[s + windowLength] - handPrefix[s];
                // Motion between the window's own frames only: the step into its first frame is not part of it.
                double motion = motionPrefix[s + windowLength] - motionPrefix[s + 1];
                boolean better = hands > bestHands
                        || hands == bestHands
                                && (motion > bestMotion
                                        || motion == bestMotion && Math.abs(s - middle) < Math.abs(start - middle));
                if (better) {
                    start = s;
                    bestHands = hands;
                    bestMotion = motion;
                }
            }
        }
        int used = Math.min(m, windowLength);
        float[] window = new float[windowLength * featureSize];
        for (int t = 0; t < windowLength; t++) {
            int f = samples[start + Math.min(t, used - 1)];
            System.arraycopy(features, f * featureSize, window, t * featureSize, featureSize);
        }
        int first = samples[start];
        int last = samples[start + used - 1];
        return new TakeWindow(
                window,
                first,
                last,
                timestamps[first],
                timestamps[last],
                handPrefix[start + used] - handPrefix[start],
                m < windowLength);
    }

    /** How far the wrists present in both frames moved (normalised image units, summed over hands). */
    private double wristMotion(int a, int b) {
        double sum = 0;
        for (int h = 0; h < 4; h += 2) {
            float ax = wrists[a * 4 + h];
            float bx = wrists[b * 4 + h];
            if (!Float.isNaN(ax) && !Float.isNaN(bx)) {
                sum += Math.hypot(bx - ax, wrists[b * 4 + h + 1] - wrists[a * 4 + h + 1]);
            }
        }
        return sum;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /**
     * The window chosen from a take.
     *
     * @param window     {@code T x layout.size()} features, ready for the embedder
     * @param firstFrame index (in frames as added) of the window's first frame
     * @param lastFrame  index of its last frame
     * @param startMs    timestamp of the first frame
     * @param endMs      timestamp of the last frame
     * @param handFrames how many of the window's samples show a hand
     * @param padded     whether the take was shorter than a window and its last frame was repeated
     */
    public record TakeWindow(
            float[] window, int firstFrame, int lastFrame, long startMs, long endMs, int handFrames, boolean padded) {

        /** One line saying which part of the take was taken, for the person recording it. */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "frames %d-%d (%d-%d ms), hands in %d%s",
                    firstFrame,
                    lastFrame,
                    startMs,
                    endMs,
                    handFrames,
                    padded ? ", take shorter than a window: last frame repeated" : "");
        }
    }
}
