package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import org.junit.jupiter.api.Test;

class TakeRecorderTest {
    private static final FeatureLayout LAYOUT = FeatureLayout.POSE_HANDS_258;

    /** A frame whose left hand (when {@code hand}) has its wrist at (x, 0.5) and every point at x. */
    private static HolisticLandmarks frame(long ms, boolean hand, float x) {
        HolisticLandmarks empty = HolisticLandmarks.empty(ms, 640, 480);
        if (!hand) {
            return empty;
        }
        float[] v = new float[LandmarkPart.LEFT_HAND.valueCount()];
        for (int i = 0; i < v.length; i += 3) {
            v[i] = x;
            v[i + 1] = 0.5f;
        }
        return new HolisticLandmarks(
                ms,
                640,
                480,
                empty.pose(),
                empty.poseWorld(),
                empty.face(),
                LandmarkSet.of(LandmarkPart.LEFT_HAND, v),
                empty.rightHand());
    }

    private static float leftWristX(float[] window, int t) {
        return window[t * LAYOUT.size() + LAYOUT.columnOf(LandmarkPart.LEFT_HAND, 0, 0)];
    }

    @Test
    void takesTheWindowWithHandsThenTheMostMotion() {
        TakeRecorder r = TakeRecorder.of(LAYOUT, 10, 0);
        // Hands from frame 20 to 49; still until 35, then faster and faster: the window must hold hands only and
        // the most motion, the last ten frames with hands.
        for (int f = 0; f < 60; f++) {
            boolean hand = f >= 20 && f < 50;
            r.add(frame(f * 33L, hand, f < 35 ? 0.3f : 0.3f + 0.001f * (f - 35) * (f - 35)));
        }
        TakeRecorder.TakeWindow w = r.window();
        assertEquals(10, w.handFrames());
        assertEquals(40, w.firstFrame(), w.describe());
        assertEquals(49, w.lastFrame());
        assertEquals(40 * 33L, w.startMs());
        assertFalse(w.padded());
        assertEquals(10 * LAYOUT.size(), w.window().length);
        assertEquals(0.325f, leftWristX(w.window(), 0), 1e-6);
    }

    @Test
    void stillHandsGiveTheMiddleWindow() {
        TakeRecorder r = TakeRecorder.of(LAYOUT, 4, 0);
        for (int f = 0; f < 10; f++) {
            r.add(frame(f * 40L, true, 0.5f));
        }
        assertEquals(3, r.window().firstFrame());
    }

    @Test
    void resamplesToTheEmbeddersRate() {
        // 60 frames/s resampled to 30: every other frame.
        TakeRecorder r = TakeRecorder.of(LAYOUT, 5, 30);
        for (int f = 0; f < 10; f++) {
            r.add(frame(Math.round(f * 1000.0 / 60), true, 0.1f * f));
        }
        TakeRecorder.TakeWindow w = r.window();
        float[] xs = new float[5];
        for (int t = 0; t < 5; t++) {
            xs[t] = leftWristX(w.window(), t);
        }
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 0.6f, 0.8f}, xs, 1e-6f);
    }

    @Test
    void aShortTakeRepeatsItsLastFrame() {
        TakeRecorder r = TakeRecorder.of(LAYOUT, 8, 0);
        for (int f = 0; f < 3; f++) {
            r.add(frame(f * 33L, true, 0.1f * (f + 1)));
        }
        TakeRecorder.TakeWindow w = r.window();
        assertTrue(w.padded());
        assertEquals(0, w.firstFrame());
        assertEquals(2, w.lastFrame());
        assertEquals(3, w.handFrames());
        assertEquals(0.3f, leftWristX(w.window(), 7), 1e-6);
    }

    @Test
    void refusesWhatCannotBeEnrolled() {
        TakeRecorder r = TakeRecorder.of(LAYOUT, 4, 0);
        assertThrows(InvalidInputException.class, r::window);
        for (int f = 0; f < 6; f++) {
            r.add(frame(f * 33L, false, 0));
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, r::window);
        assertTrue(e.getMessage().contains("hand"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> r.add(frame(5 * 33L, true, 0)));
        assertThrows(InvalidInputException.class, () -> r.add(null));
        r.clear();
        assertEquals(0, r.frameCount());
        r.add(frame(0, true, 0.2f));
        assertEquals(1, r.window().handFrames());
        assertThrows(InvalidInputException.class, () -> TakeRecorder.of(LAYOUT, 0, 0));
        assertThrows(InvalidInputException.class, () -> TakeRecorder.of(LAYOUT, 4, -1));
    }

    @Test
    void refusesATakeLongerThanTheLimit() {
        TakeRecorder r = TakeRecorder.of(LAYOUT, 4, 0);
        for (int f = 0; f < TakeRecorder.MAX_FRAMES; f++) {
            r.add(frame(f, f == 0, 0));
        }
        assertThrows(InvalidInputException.class, () -> r.add(frame(TakeRecorder.MAX_FRAMES, true, 0)));
        assertEquals(1, r.window().handFrames());
    }
}
