package io.github.kslr.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static Progress progress(long total) {
        return new Progress(new PrintWriter(new StringWriter()), "landmarks", "frame", total);
    }

    @Test
    void saysRateShareAndTimeLeft() {
        assertEquals(
                "landmarks: frame 120 of ~400 (30 %), 10.0 frames/s, about 28 s left",
                progress(400).line(120, 12.0));
        assertEquals("landmarks: frame 50, 25.0 frames/s", progress(0).line(50, 2.0));
        // The container's count is an estimate: past it, no share and no time left.
        assertEquals(
                "landmarks: frame 410 of ~400, 41.0 frames/s", progress(400).line(410, 10.0));
    }

    @Test
    void staysQuietForShortWork() {
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), "dataset", "recording", 3);
        p.update(1);
        p.update(2);
        assertEquals("", out.toString());
    }
}
