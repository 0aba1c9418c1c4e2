package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kslr.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class RecordingWindowsTest {
    /** n frames at a constant interval. */
    private static long[] clip(int n, long intervalMs) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1000 + i * intervalMs;
        }
        return t;
    }

    @Test
    void ownFramesGiveTheMiddleWindow() {
        RecordingWindows w = new RecordingWindows(4, 0, 0);
        assertArrayEquals(new int[][] {{3, 4, 5, 6}}, w.windows(clip(10, 33)));
        // An odd remainder rounds the start down.
        assertArrayEquals(new int[][] {{1, 2, 3, 4}}, w.windows(clip(7, 33)));
        assertArrayEquals(new int[][] {{0, 1, 2, 3}}, w.windows(clip(4, 33)));
    }

    @Test
    void shortRecordingsRepeatTheirLastFrame() {
        RecordingWindows w = new RecordingWindows(5, 0, 0);
        assertArrayEquals(new int[][] {{0, 1, 2, 2, 2}}, w.windows(clip(3, 40)));
        assertArrayEquals(new int[][] {{0, 0, 0, 0, 0}}, w.windows(new long[] {5}));
    }

    @Test
    void strideGivesEveryWindow() {
        RecordingWindows w = new RecordingWindows(3, 0, 2);
        assertArrayEquals(new int[][] {{0, 1, 2}, {2, 3, 4}, {4, 5, 6}}, w.windows(clip(8, 33)));
        assertArrayEquals(new int[][] {{0, 1, 2}}, w.windows(clip(3, 33)));
        assertArrayEquals(new int[][] {{0, 1, 1}}, w.windows(clip(2, 33)));
    }

    @Test
    void resamplesByTimestamp() {
        // 60 frames/s (whole milliseconds) to 30: every other frame; 133 ms is the 133.3 ms sample, rounded.
        RecordingWindows half = new RecordingWindows(2, 30, 0);
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, half.resample(new long[] {0, 17, 33, 50, 67, 83, 100, 117, 133}));
        // Without the last frame the 133.3 ms sample does not exist.
        assertArrayEquals(new int[] {0, 2, 4, 6}, half.resample(new long[] {0, 17, 33, 50, 67, 83, 100, 117}));
        // 25 frames/s (40 ms) to 50 frames/s (20 ms): each frame twice, the last sample on the last frame.
        RecordingWindows dbl = new RecordingWindows(2, 50, 0);
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, dbl.resample(clip(3, 40)));
        // Irregular timestamps: the last frame at or before each 100 ms tick.
        RecordingWindows ten = new RecordingWindows(1, 10, 0);
        assertArrayEquals(new int[] {0, 1, 2, 3}, ten.resample(new long[] {0, 90, 150, 290, 310}));
        // 201 ms is more than half a millisecond after the 200 ms sample, which therefore still shows 99 ms.
        assertArrayEquals(new int[] {0, 1, 1}, ten.resample(new long[] {0, 99, 201}));
        // fps 0: the frames as they are.
        assertArrayEquals(new int[] {0, 1, 2}, new RecordingWindows(1, 0, 0).resample(new long[] {0, 1, 500}));
        // Resampled (62.5 to 30 frames/s: frames 0, 2, ..., 22), then the middle window: 12 samples -> start 4.
        assertArrayEquals(new int[][] {{8, 10, 12}}, new RecordingWindows(3, 30, 0).windows(clip(25, 16)));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(InvalidInputException.class, () -> new RecordingWindows(0, 0, 0));
        assertThrows(InvalidInputException.class, () -> new RecordingWindows(3, -1, 0));
        assertThrows(InvalidInputException.class, () -> new RecordingWindows(3, Double.NaN, 0));
        assertThrows(InvalidInputException.class, () -> new RecordingWindows(3, Double.POSITIVE_INFINITY, 0));
        assertThrows(InvalidInputException.class, () -> new RecordingWindows(3, 0, -1));
        RecordingWindows w = new RecordingWindows(3, 0, 0);
        assertThrows(InvalidInputException.class, () -> w.windows(null));
        assertThrows(InvalidInputException.class, () -> w.windows(new long[0]));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> w.windows(new long[] {0, 5, 5}));
        assertEquals("frame timestamps must increase: frame 2 at 5 ms follows 5 ms", e.getMessage());
        assertEquals(3, w.frames());
        assertThrows(InvalidInputException.class, () -> w.cut(new int[0]));
        assertThrows(InvalidInputException.class, () -> w.cut(null));
        // windows() is resample() then cut().
        long[] t = clip(9, 33);
        assertArrayEquals(w.windows(t), w.cut(w.resample(t)));
    }
}
