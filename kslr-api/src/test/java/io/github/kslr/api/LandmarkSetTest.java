package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class LandmarkSetTest {

    static float[] ramp(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    @Test
    void readsFlatValuesByLandmarkAndComponent() {
        LandmarkSet pose = LandmarkSet.of(LandmarkPart.POSE, ramp(132, 0));
        assertTrue(pose.isPresent());
        assertEquals(33, pose.size());
        assertEquals(4 * 5, pose.x(5));
        assertEquals(4 * 5 + 1, pose.y(5));
        assertEquals(4 * 5 + 2, pose.z(5));
        assertEquals(4 * 5 + 3, pose.visibility(5));
        assertEquals(4 * 32 + 2, pose.value(32, 2));
    }

    @Test
    void copiesInSoTheCallerCannotChangeIt() {
        float[] v = ramp(63, 0);
        LandmarkSet hand = LandmarkSet.of(LandmarkPart.LEFT_HAND, v);
        v[0] = 99;
        assertEquals(0, hand.x(0));
        float[] out = hand.toArray();
        out[1] = 99;
        assertEquals(1, hand.y(0));
    }

    @Test
    void absentPartIsFullSizeZeros() {
        LandmarkSet face = LandmarkSet.absent(LandmarkPart.FACE);
        assertFalse(face.isPresent());
        assertEquals(468, face.size());
        assertArrayEquals(new float[1404], face.toArray());
        // One shared instance a part: what a caller gets out of it is a copy, so it stays all zeros.
        assertSame(face, LandmarkSet.absent(LandmarkPart.FACE));
        face.toArray()[0] = 5f;
        float[] copy = new float[1404];
        copy[0] = 7f;
        face.copyTo(copy, 0);
        assertArrayEquals(new float[1404], LandmarkSet.absent(LandmarkPart.FACE).toArray());
    }

    @Test
    void rejectsWrongSizeNanAndBadScore() {
        assertThrows(InvalidInputException.class, () -> LandmarkSet.of(LandmarkPart.LEFT_HAND, new float[62]));
        float[] v = ramp(63, 0);
        v[10] = Float.NaN;
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> LandmarkSet.of(LandmarkPart.LEFT_HAND, v));
        assertTrue(e.getMessage().contains("[10]"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> LandmarkSet.of(LandmarkPart.LEFT_HAND, ramp(63, 0), 0, 1.5f));
        assertThrows(InvalidInputException.class, () -> LandmarkSet.of(LandmarkPart.LEFT_HAND, ramp(70, 0), 8, 1f));
        assertThrows(InvalidInputException.class, () -> LandmarkSet.of(null, ramp(63, 0)));
    }

    @Test
    void indexChecksNameTheLimit() {
        LandmarkSet hand = LandmarkSet.of(LandmarkPart.RIGHT_HAND, ramp(63, 0));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> hand.x(21));
        assertTrue(e.getMessage().contains("21"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> hand.visibility(0));
        assertThrows(InvalidInputException.class, () -> hand.value(0, 3));
    }

    @Test
    void copyToChecksRoom() {
        LandmarkSet hand = LandmarkSet.of(LandmarkPart.RIGHT_HAND, ramp(63, 1));
        float[] dst = new float[70];
        hand.copyTo(dst, 7);
        assertEquals(1, dst[7]);
        assertEquals(63, dst[69]);
        assertThrows(InvalidInputException.class, () -> hand.copyTo(dst, 8));
        assertThrows(InvalidInputException.class, () -> hand.copyTo(FloatBuffer.allocate(62)));
        FloatBuffer fb = FloatBuffer.allocate(63);
        hand.copyTo(fb);
        assertEquals(63, fb.position());
    }

    @Test
    void equalsIsExact() {
        LandmarkSet a = LandmarkSet.of(LandmarkPart.LEFT_HAND, ramp(63, 0));
        LandmarkSet b = LandmarkSet.of(LandmarkPart.LEFT_HAND, ramp(63, 0));
        float[] c = ramp(63, 0);
        c[5] = Math.nextUp(c[5]);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, LandmarkSet.of(LandmarkPart.LEFT_HAND, c));
        assertNotEquals(a, LandmarkSet.of(LandmarkPart.RIGHT_HAND, ramp(63, 0)));
    }

    @Test
    void holisticLandmarksRejectsPartsInTheWrongSlot() {
        HolisticLandmarks empty = HolisticLandmarks.empty(0, 10, 10);
        assertFalse(empty.hasAnyHand());
        assertThrows(
                InvalidInputException.class,
                () -> new HolisticLandmarks(
                        0,
                        10,
                        10,
                        empty.pose(),
                        empty.poseWorld(),
                        empty.face(),
                        empty.rightHand(),
                        empty.rightHand()));
        assertThrows(
                InvalidInputException.class,
                () -> new HolisticLandmarks(
                        0, 10, 10, null, empty.poseWorld(), empty.face(), empty.leftHand(), empty.rightHand()));
        assertThrows(InvalidInputException.class, () -> HolisticLandmarks.empty(0, 0, 10));
    }
}
