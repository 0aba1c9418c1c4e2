package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FrameResampler;
import io.github.kslr.api.InvalidInputException;

/**
 * Chooses which frames of one sign recording make its training windows, so that a window looks like what a live
 * {@code SignRecognizer} sees: {@code frames} consecutive frames at the camera's rate (the reports recorded their
 * sequences the same way). Stretching a whole recording into one window would instead change the signing speed
 * from recording to recording.
 *
 * <ol>
 *   <li>With {@code fps > 0} the recording is first resampled to that rate by timestamp (each sample takes the last
 *       frame at or before its time, as a camera at that rate would); with {@code fps == 0} its own frames are used.
 *   <li>With {@code stride == 0} the recording gives one window, its middle {@code frames} frames; with
 *       {@code stride > 0} every window of {@code frames} frames starting {@code stride} frames apart.
 *   <li>A recording shorter than {@code frames} gives one window, its frames followed by its last frame repeated.
 * </ol>
 *
 * <p><b>Thread-safety.</b> Immutable; safe to share.
 */
public final class RecordingWindows {
    private final int frames;
    private final double fps;
    private final int stride;

    /**
     * @param frames window length in frames ({@code T}), at least 1
     * @param fps    frame rate to resample recordings to, or 0 for each recording's own frames
     * @param stride frames between window starts, or 0 for one window a recording (its middle)
     * @throws InvalidInputException for frames below 1, a negative, NaN or infinite fps, or a negative stride
     */
    public RecordingWindows(int frames, double fps, int stride) {
        this.frames = Checks.positive(frames, "frames");
        if (!(fps >= 0) || Double.isInfinite(fps)) {
            throw new InvalidInputException(
                    "fps must be 0 (the recording's own frames) or a positive rate, was " + fps);
        }
        this.fps = fps;
        this.stride = Checks.nonNegative(stride, "stride");
    }

    public int frames() {
        return frames;
    }

    /** Frames between window starts, or 0 for one window a recording. */
    public int stride() {
        return stride;
    }

    /** The rate recordings are resampled to, or 0 for each recording's own frames. */
    public double fps() {
        return fps;
    }

    /**
     * The recording's frame indices after resampling to {@code fps} (all of them, in order, when fps is 0).
     *
     * @param timestampsMs the recording's frame timestamps, strictly increasing, at least one
     */
    public int[] resample(long[] timestampsMs) {
        Checks.notNull(timestampsMs, "timestampsMs");
        int n = timestampsMs.length;
        if (n == 0) {
            throw new InvalidInputException("a recording needs at least one frame, got none");
        }
        for (int i = 1; i < n; i++) {
            if (timestampsMs[i] <= timestampsMs[i - 1]) {
                throw new InvalidInputException("frame timestamps must increase: frame " + i + " at " + timestampsMs[i]
                        + " ms follows " + timestampsMs[i - 1] + " ms");
            }
        }
        if (fps == 0) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        // The rule live recognition resamples by too.
        return FrameResampler.sampleFrames(fps, timestampsMs);
    }

    /**
     * The windows of one recording: {@code [windows][frames]} indices into the recording's frames (see the class
     * description for the rules).
     *
     * @param timestampsMs the recording's frame timestamps, strictly increasing, at least one
     */
    public int[][] windows(long[] timestampsMs) {
        return cut(resample(timestampsMs));
    }

    /**
     * The windows of a recording already resampled with {@link #resample}: {@code [windows][frames]} indices into the
     * recording's frames.
     *
     * @param r the resampled frame indices, at least one
     */
    public int[][] cut(int[] r) {
        Checks.notNull(r, "resampled");
        int m = r.length;
        if (m == 0) {
            throw new InvalidInputException("a recording needs at least one frame, got none");
        }
        if (m < frames) {
            int[] w = new int[frames];
            for (int i = 0; i < frames; i++) {
                w[i] = r[Math.min(i, m - 1)];
            }
            return new int[][] {w};
        }
        if (stride == 0) {
            return new int[][] {slice(r, (m - frames) / 2)};
        }
        int count = (m - frames) / stride + 1;
        int[][] out = new int[count][];
        for (int k = 0; k < count; k++) {
            out[k] = slice(r, k * stride);
        }
        return out;
    }

    private int[] slice(int[] r, int start) {
        int[] w = new int[frames];
        System.arraycopy(r, start, w, 0, frames);
        return w;
    }

    @Override
    public String toString() {
        return frames + " frames" + (fps == 0 ? " at each recording's own rate" : " at " + fps + " frames/s")
                + (stride == 0 ? ", one window a recording (its middle)" : ", a window every " + stride + " frames");
    }
}
