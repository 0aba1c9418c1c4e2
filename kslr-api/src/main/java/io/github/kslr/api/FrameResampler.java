package io.github.kslr.api;

/**
 * Resamples a stream of frames to a constant rate by their timestamps, the one rule KSLR cuts sign windows by, in
 * training ({@code RecordingWindows}) and in live recognition ({@code SignRecognizer}): sample {@code k} is at
 * {@code t0 + k * 1000 / fps} ms ({@code t0} the first frame's time) and takes the last frame at or before it.
 * Timestamps are whole milliseconds, so a frame up to half a millisecond after a sample's time was rounded up from it
 * and counts as at that time.
 *
 * <p>Frames are given one at a time ({@link #advance}); a sample is final once a later frame has arrived, so
 * {@code advance} reports the samples that became final, each taking the frame given before. {@link #finish()} gives
 * the samples at or before the last frame when the recording ends.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one resampler follows one stream.
 */
public final class FrameResampler {
    private final double stepMs;
    private long firstMs;
    private long lastMs;
    private long next;
    private boolean started;

    /**
     * @param fps samples a second, above 0 and at most {@link SignModelMetadata#MAX_FRAME_RATE}
     * @throws InvalidInputException otherwise
     */
    public FrameResampler(double fps) {
        if (SignModelMetadata.checkFrameRate(fps, "fps") == 0) {
            throw new InvalidInputException("fps must be above 0 to resample, was 0");
        }
        this.stepMs = 1000.0 / fps;
    }

    /**
     * A frame arrives at {@code timestampMs}.
     *
     * @return how many samples became final: samples {@link #nextSample()} - n to {@link #nextSample()} - 1 as this
     *     returns, each taking the frame given before this one (0 for the first frame)
     * @throws InvalidInputException when the timestamp does not increase
     */
    public long advance(long timestampMs) {
        if (!started) {
            started = true;
            firstMs = timestampMs;
            lastMs = timestampMs;
            return 0;
        }
        if (timestampMs <= lastMs) {
            throw new InvalidInputException(
                    "frame timestamps must increase: " + timestampMs + " after " + lastMs + " ms");
        }
        lastMs = timestampMs;
        // An estimate from the distance, then the exact test the rule is written with (so that long gaps cost no
        // loop and every caller decides boundaries identically).
        long k = Math.max(next, (long) ((timestampMs - firstMs) / stepMs) - 1);
        while (k > next && !before(k - 1, timestampMs)) {
            k--;
        }
        while (before(k, timestampMs)) {
            k++;
        }
        long n = k - next;
        next = k;
        return n;
    }

    /**
     * The recording ended with the last frame given: the samples at or before it (it counts up to half a
     * millisecond after a sample), each taking it. Further calls give 0.
     */
    public long finish() {
        if (!started) {
            return 0;
        }
        long total = (long) Math.floor((lastMs - firstMs + 0.5) / stepMs) + 1;
        long n = Math.max(0, total - next);
        next += n;
        return n;
    }

    /**
     * A whole recording resampled at once: for every sample, the index of the frame it takes.
     *
     * @param fps          samples a second, as for the constructor
     * @param timestampsMs the recording's frame times, strictly increasing
     * @throws InvalidInputException for a bad rate or timestamps that do not increase
     */
    public static int[] sampleFrames(double fps, long[] timestampsMs) {
        Checks.notNull(timestampsMs, "timestampsMs");
        FrameResampler resampler = new FrameResampler(fps);
        java.util.stream.IntStream.Builder out = java.util.stream.IntStream.builder();
        int n = timestampsMs.length;
        for (int i = 0; i <= n; i++) {
            long samples = i < n ? resampler.advance(timestampsMs[i]) : resampler.finish();
            for (long k = 0; k < samples; k++) {
                out.add(i - 1);
            }
        }
        return out.build().toArray();
    }

    /** Whether sample {@code k} lies more than half a millisecond before a frame at {@code timestampMs}. */
    private boolean before(long k, long timestampMs) {
        return firstMs + k * stepMs + 0.5 < timestampMs;
    }

    /** The index the next sample will have (samples taken so far). */
    public long nextSample() {
        return next;
    }

    /** Sample {@code k}'s time in milliseconds, rounded. */
    public long sampleTimeMs(long k) {
        return Math.round(firstMs + k * stepMs);
    }
}
