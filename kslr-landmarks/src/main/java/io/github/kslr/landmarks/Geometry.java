package io.github.kslr.landmarks;

/**
 * MediaPipe's rectangle arithmetic (rotation from two points, alignment-point rectangles, rect transformation,
 * landmark projection, letterbox removal), paraphrased from the formulas of its calculators
 * ({@code detections_to_rects}, {@code alignment_points_to_rects}, {@code rect_transformation},
 * {@code landmark_projection}, {@code landmark_letterbox_removal}). All angles are computed in pixels, as MediaPipe
 * does, so that non-square images rotate correctly.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
final class Geometry {
    private Geometry() {}

    /** Wraps an angle into [-pi, pi), as MediaPipe's {@code NormalizeRadians}. */
    static double normalizeRadians(double angle) {
        return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
    }

    /**
     * The rotation that turns the vector from point 0 to point 1 (normalised coordinates, measured in pixels) to
     * {@code targetRadians}: {@code normalize(target - atan2(-(y1 - y0), x1 - x0))}.
     */
    static float rotation(
            float x0, float y0, float x1, float y1, int imageWidth, int imageHeight, double targetRadians) {
        double dx = (x1 - x0) * (double) imageWidth;
        double dy = (y1 - y0) * (double) imageHeight;
        return (float) normalizeRadians(targetRadians - Math.atan2(-dy, dx));
    }

    /**
     * MediaPipe's {@code AlignmentPointsRectsCalculator}: the centre is point 0, the side is twice the pixel
     * distance from point 0 to point 1, the rotation comes from the same two points.
     */
    static NormRect alignmentRect(
            float x0, float y0, float x1, float y1, int imageWidth, int imageHeight, double targetRadians) {
        double dx = (x1 - x0) * (double) imageWidth;
        double dy = (y1 - y0) * (double) imageHeight;
        double size = 2 * Math.sqrt(dx * dx + dy * dy);
        return new NormRect(
                x0,
                y0,
                (float) (size / imageWidth),
                (float) (size / imageHeight),
                rotation(x0, y0, x1, y1, imageWidth, imageHeight, targetRadians));
    }

    /**
     * MediaPipe's {@code RectTransformationCalculator}: shift by (shiftX * width, shiftY * height) rotated with the
     * rectangle (using the size before squaring), then optionally make it square on its long side in pixels, then
     * scale.
     */
    static NormRect transform(
            NormRect r,
            int imageWidth,
            int imageHeight,
            float scaleX,
            float scaleY,
            float shiftX,
            float shiftY,
            boolean squareLong) {
        double w = r.width(), h = r.height();
        double theta = r.rotation();
        double xc = r.xCenter(), yc = r.yCenter();
        if (theta == 0) {
            xc += w * shiftX;
            yc += h * shiftY;
        } else {
            double c = Math.cos(theta), s = Math.sin(theta);
            xc += (imageWidth * w * shiftX * c - imageHeight * h * shiftY * s) / imageWidth;
            yc += (imageWidth * w * shiftX * s + imageHeight * h * shiftY * c) / imageHeight;
        }
        if (squareLong) {
            double longSide = Math.max(w * imageWidth, h * imageHeight);
            w = longSide / imageWidth;
            h = longSide / imageHeight;
        }
        return new NormRect((float) xc, (float) yc, (float) (w * scaleX), (float) (h * scaleY), r.rotation());
    }

    /**
     * Projects landmarks given in the crop's normalised coordinates (x, y in [0,1] of the tensor, z in tensor-width
     * units) into the image: {@code x' = xc + w (cos (u - 1/2) - sin (v - 1/2))}, likewise y, {@code z' = z w}.
     * Works in place on {@code stride}-float records starting at {@code offset}.
     */
    static void project(float[] values, int offset, int count, int stride, NormRect roi) {
        double c = Math.cos(roi.rotation()), s = Math.sin(roi.rotation());
        for (int i = 0; i < count; i++) {
            int k = offset + i * stride;
            double u = values[k] - 0.5, v = values[k + 1] - 0.5;
            values[k] = (float) (roi.xCenter() + roi.width() * (c * u - s * v));
            values[k + 1] = (float) (roi.yCenter() + roi.height() * (s * u + c * v));
            if (stride >= 3) {
                values[k + 2] = values[k + 2] * roi.width();
            }
        }
    }

    /**
     * MediaPipe's {@code HandLandmarksToRectCalculator}: on the 12 palm landmarks, rotation from the wrist to the
     * middle of (index MCP + ring MCP)/2 and middle MCP, target +90 degrees, then the bounding box of those points
     * in the frame rotated by that angle, its centre rotated back. {@code xyz} holds 21 landmarks, {@code stride}
     * floats each, normalised to the image.
     */
    static NormRect handLandmarksToRect(float[] xyz, int stride, int imageWidth, int imageHeight) {
        final int[] subset = {0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18};
        float x0 = xyz[0], y0 = xyz[1];
        float xm = ((xyz[5 * stride] + xyz[13 * stride]) / 2 + xyz[9 * stride]) / 2;
        float ym = ((xyz[5 * stride + 1] + xyz[13 * stride + 1]) / 2 + xyz[9 * stride + 1]) / 2;
        float rotation = rotation(x0, y0, xm, ym, imageWidth, imageHeight, Math.PI / 2);
        double c = Math.cos(rotation), s = Math.sin(rotation);
        // Axis-aligned box centre in pixels, the pivot of the rotation.
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i : subset) {
            double px = xyz[i * stride] * (double) imageWidth, py = xyz[i * stride + 1] * (double) imageHeight;
            minX = Math.min(minX, px);
            maxX = Math.max(maxX, px);
            minY = Math.min(minY, py);
            maxY = Math.max(maxY, py);
        }
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
        double rMinX = Double.MAX_VALUE, rMinY = Double.MAX_VALUE, rMaxX = -Double.MAX_VALUE, rMaxY = -Double.MAX_VALUE;
        for (int i : subset) {
            double px = xyz[i * stride] * (double) imageWidth - cx,
                    py = xyz[i * stride + 1] * (double) imageHeight - cy;
            // Rotate by -rotation.
            double rx = px * c + py * s, ry = -px * s + py * c;
            rMinX = Math.min(rMinX, rx);
            rMaxX = Math.max(rMaxX, rx);
            rMinY = Math.min(rMinY, ry);
            rMaxY = Math.max(rMaxY, ry);
        }
        double rcx = (rMinX + rMaxX) / 2, rcy = (rMinY + rMaxY) / 2;
        // Rotate the rotated-frame centre back by +rotation.
        double ncx = rcx * c - rcy * s + cx, ncy = rcx * s + rcy * c + cy;
        return new NormRect(
                (float) (ncx / imageWidth),
                (float) (ncy / imageHeight),
                (float) ((rMaxX - rMinX) / imageWidth),
                (float) ((rMaxY - rMinY) / imageHeight),
                rotation);
    }

    /**
     * The axis-aligned bounding box of landmarks {@code [from, to)} as a rectangle (centre, size) with the given
     * rotation, as {@code LandmarksToDetection} followed by {@code DetectionsToRects} in bounding-box mode.
     */
    static NormRect boundingRect(float[] xyz, int stride, int from, int to, float rotation) {
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int i = from; i < to; i++) {
            minX = Math.min(minX, xyz[i * stride]);
            maxX = Math.max(maxX, xyz[i * stride]);
            minY = Math.min(minY, xyz[i * stride + 1]);
            maxY = Math.max(maxY, xyz[i * stride + 1]);
        }
        return new NormRect((minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY, rotation);
    }

    /**
     * The square region that a keep-aspect-ratio crop of the whole image into a square tensor covers, and its
     * letterbox padding {left/right, top/bottom} as fractions of the tensor ({@code ImageToTensor}'s PadRoi).
     */
    static NormRect letterboxRoi(int imageWidth, int imageHeight, float[] paddingOut) {
        if (imageHeight > imageWidth) {
            paddingOut[0] = (1f - (float) imageWidth / imageHeight) / 2f;
            paddingOut[1] = 0f;
            return new NormRect(0.5f, 0.5f, (float) imageHeight / imageWidth, 1f, 0f);
        }
        paddingOut[0] = 0f;
        paddingOut[1] = (1f - (float) imageHeight / imageWidth) / 2f;
        return new NormRect(0.5f, 0.5f, 1f, (float) imageWidth / imageHeight, 0f);
    }

    /** Removes letterbox padding from a tensor-normalised coordinate: {@code (u - pad) / (1 - 2 pad)}. */
    static float unpad(float u, float pad) {
        return (u - pad) / (1f - 2f * pad);
    }
}
