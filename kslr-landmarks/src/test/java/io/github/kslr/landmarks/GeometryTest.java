package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GeometryTest {
    private static final double EPS = 1e-5;

    @Test
    void normalizeRadiansWrapsIntoHalfOpenRange() {
        for (double a = -20; a <= 20; a += 0.37) {
            double n = Geometry.normalizeRadians(a);
            assertEquals(true, n >= -Math.PI && n < Math.PI, "range for " + a);
            // Same angle modulo 2 pi.
            assertEquals(0, Math.sin(n - a), 1e-9);
            assertEquals(1, Math.cos(n - a), 1e-9);
        }
    }

    @Test
    void rotationIsMeasuredInPixelsWithYDown() {
        // A vector pointing straight up on screen already points at +90 degrees: no rotation needed.
        assertEquals(0, Geometry.rotation(0.5f, 0.5f, 0.5f, 0.2f, 640, 480, Math.PI / 2), EPS);
        // Pointing right: the crop must turn by +90 degrees to bring it up.
        assertEquals(Math.PI / 2, Geometry.rotation(0.2f, 0.5f, 0.6f, 0.5f, 640, 480, Math.PI / 2), EPS);
        // Non-square image: normalised (0.25, -0.25) is (50, -25) pixels on 200x100.
        double expected = Geometry.normalizeRadians(Math.PI / 2 - Math.atan2(25, 50));
        assertEquals(expected, Geometry.rotation(0.5f, 0.5f, 0.75f, 0.25f, 200, 100, Math.PI / 2), EPS);
    }

    @Test
    void alignmentRectIsCentredOnFirstPointWithTwiceTheDistance() {
        NormRect r = Geometry.alignmentRect(0.5f, 0.5f, 0.5f, 0.25f, 400, 200, Math.PI / 2);
        // 0.25 of 200 px = 50 px, doubled = 100 px.
        assertEquals(100.0 / 400, r.width(), EPS);
        assertEquals(100.0 / 200, r.height(), EPS);
        assertEquals(0.5, r.xCenter(), EPS);
        assertEquals(0, r.rotation(), EPS);
    }

    @Test
    void transformShiftsAlongTheRotatedAxisThenSquaresThenScales() {
        int w = 640, h = 480;
        NormRect r = new NormRect(0.4f, 0.6f, 0.1f, 0.2f, (float) Math.toRadians(30));
        NormRect t = Geometry.transform(r, w, h, 1.5f, 1.5f, 0f, -0.1f, true);
        // The shift is -0.1 of the (pre-square) height along the rectangle's own v axis: the point (0.5, 0.4) in
        // the original rectangle's crop coordinates.
        assertEquals(r.projectX(0.5f, 0.4f, w, h), t.xCenter(), EPS);
        assertEquals(r.projectY(0.5f, 0.4f, w, h), t.yCenter(), EPS);
        double longSide = Math.max(0.1 * w, 0.2 * h);
        assertEquals(longSide * 1.5, t.width() * w, 1e-3);
        assertEquals(longSide * 1.5, t.height() * h, 1e-3);
        assertEquals(r.rotation(), t.rotation(), 0);
    }

    @Test
    void projectionRotatesCropCoordinatesIntoTheImage() {
        int w = 300, h = 200;
        // A pixel-square ROI (60 px) rotated by +90 degrees: the crop's right edge middle lands below the centre.
        NormRect roi = new NormRect(0.5f, 0.5f, 60f / w, 60f / h, (float) (Math.PI / 2));
        float[] p = {1f, 0.5f, 0.1f};
        Geometry.project(p, 0, 1, 3, roi);
        assertEquals(0.5, p[0], EPS);
        assertEquals(0.5 + 30.0 / h, p[1], EPS);
        assertEquals(0.1 * 60 / w, p[2], EPS);
        float[] q = {0.25f, 0.75f, 0f};
        Geometry.project(q, 0, 1, 3, roi);
        assertEquals(roi.projectX(0.25f, 0.75f, w, h), q[0], EPS);
        assertEquals(roi.projectY(0.25f, 0.75f, w, h), q[1], EPS);
    }

    @Test
    void handRectRecoversTheRotationAndExtentOfARotatedHand() {
        int w = 640, h = 480;
        double angle = Math.toRadians(25);
        // A synthetic hand in its own frame (pixels, y down): wrist at the bottom, fingers up.
        float[] local = new float[21 * 3];
        double[][] pts = new double[21][];
        for (int i = 0; i < 21; i++) {
            pts[i] = new double[] {(i % 5 - 2) * 10.0, 40.0 - (i / 5) * 20.0};
        }
        pts[0] = new double[] {0, 40};
        pts[9] = new double[] {0, -20};
        pts[5] = new double[] {-15, -20};
        pts[13] = new double[] {15, -20};
        double cx = 320, cy = 240;
        for (int i = 0; i < 21; i++) {
            // Rotate the hand by +angle on screen (clockwise, y down).
            double x = pts[i][0] * Math.cos(angle) - pts[i][1] * Math.sin(angle) + cx;
            double y = pts[i][0] * Math.sin(angle) + pts[i][1] * Math.cos(angle) + cy;
            local[3 * i] = (float) (x / w);
            local[3 * i + 1] = (float) (y / h);
        }
        NormRect r = Geometry.handLandmarksToRect(local, 3, w, h);
        assertEquals(angle, r.rotation(), 1e-4);
        int[] subset = {0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18};
        double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
        for (int i : subset) {
            minX = Math.min(minX, pts[i][0]);
            maxX = Math.max(maxX, pts[i][0]);
            minY = Math.min(minY, pts[i][1]);
            maxY = Math.max(maxY, pts[i][1]);
        }
        assertEquals(maxX - minX, r.width() * w, 1e-2);
        assertEquals(maxY - minY, r.height() * h, 1e-2);
        double lcx = (minX + maxX) / 2, lcy = (minY + maxY) / 2;
        assertEquals(lcx * Math.cos(angle) - lcy * Math.sin(angle) + cx, r.xCenter() * w, 1e-2);
        assertEquals(lcx * Math.sin(angle) + lcy * Math.cos(angle) + cy, r.yCenter() * h, 1e-2);
    }

    @Test
    void letterboxPadsTheShortSide() {
        float[] pad = new float[2];
        NormRect r = Geometry.letterboxRoi(540, 720, pad);
        assertEquals(720.0 / 540, r.width(), EPS);
        assertEquals(1, r.height(), EPS);
        assertEquals((1 - 540.0 / 720) / 2, pad[0], EPS);
        assertEquals(0, pad[1], EPS);
        // Unpadding the padded image's left edge gives 0, its right edge 1.
        assertEquals(0, Geometry.unpad(pad[0], pad[0]), EPS);
        assertEquals(1, Geometry.unpad(1 - pad[0], pad[0]), EPS);
    }
}
