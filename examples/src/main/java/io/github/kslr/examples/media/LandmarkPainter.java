package io.github.kslr.examples.media;

import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkConnection;
import io.github.kslr.api.LandmarkSet;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws a frame's landmarks onto a BGR image with OpenCV, as MediaPipe's drawing utilities do: the pose skeleton and
 * both hands as lines between connected landmarks ({@link io.github.kslr.api.LandmarkPart#connections()}) with a dot
 * on each landmark, and the face's points as small dots. The colours and sizes are the web demo's ({@code app.js}):
 * face light grey, pose green, the signer's left hand orange, the right hand blue; pose landmarks with visibility
 * below 0.5 are left out. Sizes grow with images whose shorter side is over 540 pixels.
 *
 * <p><b>Thread-safety.</b> Not thread-safe (it reuses its native points); one painter a thread. {@link #close()}
 * frees them and is idempotent.
 */
public final class LandmarkPainter implements AutoCloseable {
    /** Pose landmarks below this visibility are not drawn, as in the web demo. */
    static final float MIN_VISIBILITY = 0.5f;

    // OpenCV's colours are B, G, R; each is the web demo's colour of the same thing.
    static final Scalar FACE = new Scalar(200, 200, 200, 0);
    static final Scalar POSE = new Scalar(80, 185, 63, 0);
    static final Scalar LEFT_HAND_LINE = new Scalar(0, 140, 255, 0);
    static final Scalar LEFT_HAND_DOT = new Scalar(0, 200, 255, 0);
    static final Scalar RIGHT_HAND_LINE = new Scalar(247, 129, 47, 0);
    static final Scalar RIGHT_HAND_DOT = new Scalar(255, 180, 120, 0);

    /** Fractional bits of the points handed to OpenCV: landmarks are drawn where they are, not at whole pixels. */
    private static final int SHIFT = 4;

    private final Point a = new Point();
    private final Point b = new Point();
    private boolean closed;

    /**
     * Draws {@code landmarks} onto {@code bgr} (8-bit, 3 channels, the size of the frame they were found in).
     *
     * @throws InvalidInputException when the image is not 8-bit BGR of the landmarks' frame size
     */
    public void draw(Mat bgr, HolisticLandmarks landmarks) {
        Checks.notNull(bgr, "bgr");
        Checks.notNull(landmarks, "landmarks");
        if (closed) {
            throw new io.github.kslr.api.ClosedException("landmark painter is closed");
        }
        if (bgr.type() != opencv_core.CV_8UC3
                || bgr.cols() != landmarks.imageWidth()
                || bgr.rows() != landmarks.imageHeight()) {
            throw new InvalidInputException("expected an 8-bit BGR image of " + landmarks.imageWidth() + "x"
                    + landmarks.imageHeight() + " (the landmarks' frame), got " + bgr.cols() + "x" + bgr.rows()
                    + " of OpenCV type " + bgr.type());
        }
        double scale = Math.max(1.0, Math.min(bgr.cols(), bgr.rows()) / 540.0);
        int w = bgr.cols();
        int h = bgr.rows();
        dots(bgr, landmarks.face(), w, h, FACE, (int) Math.round(scale));
        lines(bgr, landmarks.pose(), w, h, POSE, (int) Math.round(3 * scale));
        dots(bgr, landmarks.pose(), w, h, POSE, (int) Math.round(3 * scale));
        lines(bgr, landmarks.leftHand(), w, h, LEFT_HAND_LINE, (int) Math.round(2 * scale));
        dots(bgr, landmarks.leftHand(), w, h, LEFT_HAND_DOT, (int) Math.round(3 * scale));
        lines(bgr, landmarks.rightHand(), w, h, RIGHT_HAND_LINE, (int) Math.round(2 * scale));
        dots(bgr, landmarks.rightHand(), w, h, RIGHT_HAND_DOT, (int) Math.round(3 * scale));
    }

    private static boolean visible(LandmarkSet set, int i) {
        return !set.part().hasVisibility() || set.visibility(i) >= MIN_VISIBILITY;
    }

    private void lines(Mat img, LandmarkSet set, int w, int h, Scalar colour, int thickness) {
        if (!set.isPresent()) {
            return;
        }
        for (LandmarkConnection c : set.part().connections()) {
            if (visible(set, c.start()) && visible(set, c.end())) {
                place(a, set, c.start(), w, h);
                place(b, set, c.end(), w, h);
                opencv_imgproc.line(img, a, b, colour, thickness, LINE_AA, SHIFT);
            }
        }
    }

    private void dots(Mat img, LandmarkSet set, int w, int h, Scalar colour, int radius) {
        if (!set.isPresent()) {
            return;
        }
        for (int i = 0; i < set.size(); i++) {
            if (visible(set, i)) {
                place(a, set, i, w, h);
                opencv_imgproc.circle(img, a, radius << SHIFT, colour, FILLED, LINE_AA, SHIFT);
            }
        }
    }

    /** Sets {@code p} to landmark {@code i}'s pixel position in fixed point (far-off points clamped, as OpenCV clips). */
    private static void place(Point p, LandmarkSet set, int i, int w, int h) {
        p.x(fixed(set.x(i) * w, w));
        p.y(fixed(set.y(i) * h, h));
    }

    private static int fixed(float pixels, int size) {
        float clamped = Math.max(-4f * size, Math.min(5f * size, Float.isNaN(pixels) ? -4f * size : pixels));
        return Math.round(clamped * (1 << SHIFT));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        a.close();
        b.close();
    }
}
