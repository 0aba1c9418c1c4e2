package io.github.kslr.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on standard error for long work: "landmarks: frame 120 of ~400 (30 %), 9.8 frames/s, about 28 s
 * left", at most every two seconds (a line each, so that logs and pipes keep it readable), and nothing for work
 * that ends sooner. One place for the format the commands share.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one reporter follows one loop.
 */
final class Progress {
    private static final long EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final String unit;
    private final long total;
    private final long start = System.nanoTime();
    private long last = start;

    /**
     * @param what  the command, e.g. "landmarks"
     * @param unit  what is counted, e.g. "frame"
     * @param total how many there will be (an estimate is fine), or 0 when unknown (a camera)
     */
    Progress(PrintWriter err, String what, String unit, long total) {
        this.err = err;
        this.what = what;
        this.unit = unit;
        this.total = Math.max(0, total);
    }

    /** {@code done} units are finished; prints a line when two seconds have passed since the last. */
    void update(long done) {
        long now = System.nanoTime();
        if (now - last < EVERY_NANOS) {
            return;
        }
        last = now;
        err.println(line(done, (now - start) / 1e9));
        err.flush();
    }

    /** The line for {@code done} units after {@code seconds}. */
    String line(long done, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder b =
                new StringBuilder(what).append(": ").append(unit).append(' ').append(done);
        if (total > 0) {
            b.append(" of ~").append(total);
            if (done <= total) {
                b.append(String.format(Locale.ROOT, " (%d %%)", 100 * done / total));
            }
        }
        b.append(String.format(Locale.ROOT, ", %.1f %ss/s", rate, unit));
        if (total > done && rate > 0) {
            b.append(String.format(Locale.ROOT, ", about %.0f s left", (total - done) / rate));
        }
        return b.toString();
    }
}
