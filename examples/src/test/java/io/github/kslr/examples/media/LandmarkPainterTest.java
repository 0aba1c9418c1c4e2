package io.github.kslr.examples.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import java.nio.ByteBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Where the painter draws, on a black image with landmarks placed by hand (no encoder in between). */
class LandmarkPainterTest {
    private static final int W = 200;
    private static final int H = 100;

    private static int[] bgr(Mat m, int x, int y) {
        ByteBuffer b = m.createBuffer();
        int i = (y * W + x) * 3;
        return new int[] {b.get(i) & 0xff, b.get(i + 1) & 0xff, b.get(i + 2) & 0xff};
    }

    private static int[] colour(Scalar s) {
        return new int[] {(int) s.get(0), (int) s.get(1), (int) s.get(2)};
    }

    /** A pose with its left shoulder at (50, 50) and left elbow at (150, 50), the rest invisible at (10, 90). */
    private static LandmarkSet pose(float elbowVisibility) {
        float[] v = new float[33 * 4];
        for (int i = 0; i < 33; i++) {
            v[i * 4] = 10f / W;
            v[i * 4 + 1] = 90f / H;
            v[i * 4 + 3] = 0.1f;
        }
        v[PoseLandmark.LEFT_SHOULDER * 4] = 50f / W;
        v[PoseLandmark.LEFT_SHOULDER * 4 + 1] = 50f / H;
        v[PoseLandmark.LEFT_SHOULDER * 4 + 3] = 0.9f;
        v[PoseLandmark.LEFT_ELBOW * 4] = 150f / W;
        v[PoseLandmark.LEFT_ELBOW * 4 + 1] = 50f / H;
        v[PoseLandmark.LEFT_ELBOW * 4 + 3] = elbowVisibility;
        return LandmarkSet.of(LandmarkPart.POSE, v);
    }

    private static HolisticLandmarks frame(LandmarkSet pose, LandmarkSet rightHand) {
        HolisticLandmarks empty = HolisticLandmarks.empty(0, W, H);
        return new HolisticLandmarks(0, W, H, pose, empty.poseWorld(), empty.face(), empty.leftHand(), rightHand);
    }

    @Test
    void drawsVisibleLandmarksAndTheirConnectionsOnly() {
        try (LandmarkPainter painter = new LandmarkPainter();
                Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            painter.draw(img, frame(pose(0.9f), HolisticLandmarks.empty(0, W, H).rightHand()));
            int[] green = colour(LandmarkPainter.POSE);
            assertArrayEquals(green, bgr(img, 50, 50), "shoulder");
            assertArrayEquals(green, bgr(img, 100, 50), "the line from the shoulder to the elbow");
            assertArrayEquals(green, bgr(img, 150, 50), "elbow");
            assertArrayEquals(new int[3], bgr(img, 10, 90), "landmarks below visibility 0.5 are not drawn");
            assertArrayEquals(new int[3], bgr(img, 100, 20), "nothing away from the arm");
        }
        try (LandmarkPainter painter = new LandmarkPainter();
                Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            painter.draw(img, frame(pose(0.2f), HolisticLandmarks.empty(0, W, H).rightHand()));
            assertArrayEquals(colour(LandmarkPainter.POSE), bgr(img, 50, 50));
            assertArrayEquals(new int[3], bgr(img, 100, 50), "no line to an invisible elbow");
            assertArrayEquals(new int[3], bgr(img, 150, 50), "no invisible elbow");
        }
    }

    @Test
    void handsAreDrawnOverThePoseInTheirOwnColours() {
        float[] hand = new float[21 * 3];
        for (int i = 0; i < 21; i++) {
            hand[i * 3] = (100f + 4 * i) / W; // a diagonal from the wrist to the little finger's tip
            hand[i * 3 + 1] = (20f + 3 * i) / H;
        }
        try (LandmarkPainter painter = new LandmarkPainter();
                Mat img = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            painter.draw(img, frame(pose(0.9f), LandmarkSet.of(LandmarkPart.RIGHT_HAND, hand)));
            assertArrayEquals(colour(LandmarkPainter.RIGHT_HAND_DOT), bgr(img, 100 + 4 * 20, 20 + 3 * 20));
            assertArrayEquals(colour(LandmarkPainter.RIGHT_HAND_DOT), bgr(img, 100, 20), "wrist");
            assertArrayEquals(colour(LandmarkPainter.POSE), bgr(img, 70, 50), "the arm is still there");
        }
    }

    @Test
    void refusesAnImageOfAnotherSize() {
        try (LandmarkPainter painter = new LandmarkPainter();
                Mat img = new Mat(H + 1, W, opencv_core.CV_8UC3)) {
            InvalidInputException e = assertThrows(
                    InvalidInputException.class, () -> painter.draw(img, HolisticLandmarks.empty(0, W, H)));
            assertEquals(true, e.getMessage().contains("200x100"), e.getMessage());
        }
    }
}
