package io.github.kslr.landmarks;

/**
 * The One-Euro filter as MediaPipe implements it ({@code util/filtering/one_euro_filter.cc}): the frequency starts at
 * 30 Hz and becomes {@code 1 / dt} from packet timestamps after the first sample; the derivative is
 * {@code (x - previous raw x) * valueScale * frequency}, low-passed with the derivative cut-off; the cut-off is
 * {@code minCutoff + beta * |derivative|}; a sample whose timestamp does not increase is returned unfiltered.
 * MediaPipe marks "no previous sample" with timestamp 0, so it skips a first sample stamped 0; here a flag does, so a
 * stream may start at 0 ms and behaves as MediaPipe does for any other start.
 *
 * <p><b>Thread-safety.</b> Not thread-safe; owned by one landmarker.
 */
final class OneEuroFilter {
    private final double minCutoff;
    private final double beta;
    private final double derivateCutoff;
    private final LowPassFilter x = new LowPassFilter();
    private final LowPassFilter dx = new LowPassFilter();
    private double frequency = 30.0;
    private long lastTimeUs;
    private boolean started;

    OneEuroFilter(double minCutoff, double beta, double derivateCutoff) {
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivateCutoff = derivateCutoff;
    }

    double apply(long timestampUs, double valueScale, double value) {
        if (started && lastTimeUs >= timestampUs) {
            return value;
        }
        if (started) {
            frequency = 1.0 / ((timestampUs - lastTimeUs) * 1e-6);
        }
        started = true;
        lastTimeUs = timestampUs;
        double dvalue = x.hasLastRaw() ? (value - x.lastRaw()) * valueScale * frequency : 0.0;
        double edvalue = dx.applyWithAlpha(dvalue, alpha(derivateCutoff));
        double cutoff = minCutoff + beta * Math.abs(edvalue);
        return x.applyWithAlpha(value, alpha(cutoff));
    }

    private double alpha(double cutoff) {
        double te = 1.0 / frequency;
        double tau = 1.0 / (2 * Math.PI * cutoff);
        return 1.0 / (1.0 + tau / te);
    }

    void reset() {
        x.reset();
        dx.reset();
        frequency = 30.0;
        lastTimeUs = 0;
        started = false;
    }

    /** MediaPipe's {@code LowPassFilter}: the first sample passes through, then {@code a x + (1 - a) s}. */
    static final class LowPassFilter {
        private double raw;
        private double stored;
        private boolean initialized;

        double applyWithAlpha(double value, double alpha) {
            double result = initialized ? alpha * value + (1 - alpha) * stored : value;
            raw = value;
            stored = result;
            initialized = true;
            return result;
        }

        boolean hasLastRaw() {
            return initialized;
        }

        double lastRaw() {
            return raw;
        }

        void reset() {
            initialized = false;
        }
    }
}
