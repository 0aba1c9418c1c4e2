package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameResamplerTest {

    @Test
    void samplesBecomeFinalWhenALaterFrameArrives() {
        FrameResampler r = new FrameResampler(10); // a sample every 100 ms
        assertEquals(0, r.advance(1000), "the first frame finalises nothing");
        assertEquals(1, r.advance(1090), "the 1000 ms sample takes the first frame");
        assertEquals(0, r.advance(1100), "100.5 ms: the 1100 ms sample may still take this frame");
        assertEquals(1, r.advance(1101), "... and did: 1101 ms is more than half a millisecond after it");
        assertEquals(2, r.advance(1400), "the 1200 and 1300 ms samples take the 1101 ms frame");
        assertEquals(4, r.nextSample());
        assertEquals(1, r.finish(), "the 1400 ms sample takes the last frame");
        assertEquals(0, r.finish());
        assertEquals(1300, r.sampleTimeMs(3));
    }

    @Test
    void aLongGapIsCountedWithoutWalkingIt() {
        FrameResampler r = new FrameResampler(30);
        r.advance(0);
        long n = r.advance(86_400_000L); // a day later
        // Samples at k * 33.33 ms with k * 33.33 + 0.5 < 86,400,000: k = 0 .. 2,591,999.
        assertEquals(2_592_000, n);
        assertEquals(86_399_967, r.sampleTimeMs(n - 1));
    }

    @Test
    void badInputIsRejected() {
        FrameResampler r = new FrameResampler(25);
        r.advance(100);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.advance(100));
        assertTrue(e.getMessage().contains("100 after 100"), e.getMessage());
        for (double fps : new double[] {0, -1, Double.NaN, 1001}) {
            assertThrows(InvalidInputException.class, () -> new FrameResampler(fps), Double.toString(fps));
        }
    }
}
