package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.PoseLandmark;
import io.github.kslr.api.WindowMirror;
import java.util.Arrays;

/**
 * Geometric and temporal changes of raw landmark windows, used both to augment training data and to measure a
 * model's robustness (the fixed perturbation suite):
 * <ul>
 *   <li>mirror: {@code x -> 1 - x} for present points, left and right hands swapped, pose landmarks swapped with
 *       their left/right partners (a left-handed signer);</li>
 *   <li>shift: add {@code (dx, dy)} to x, y of present points ({@link #shiftHands}: of the hands' points only);</li>
 *   <li>scale: {@code (p - 0.5) * s + 0.5} on x, y of present points;</li>
 *   <li>tempo: resample the T frames at a speed, nearest frame ({@code round(t * speed)}), clamped at the last.</li>
 * </ul>
 * A point is present when its x or y is non-zero (datasets store undetected parts as zeros).
 *
 * <p><b>Thread-safety.</b> Immutable (tables computed at construction); methods write only into the caller's
 * arrays, so one instance may serve many threads.
 */
public final class Perturbations {

    /** The mirror image, over this layout (one place for it: the runtime's vocabulary mirrors takes with it too). */
    private final WindowMirror mirror;
    /** The layout's x columns ({@code [0]}) and, in parallel, the y of the same points ({@code [1]}). */
    private final int[][] xy;
    /** The same for the points that move with the hands: both hands' and the pose's wrist, pinky, index and thumb. */
    private final int[][] handXy;

    public Perturbations(FeatureLayout layout) {
        this.mirror = new WindowMirror(Checks.notNull(layout, "layout"));
        this.xy = layout.xyColumns();
        this.handXy = handPoints(xy, layout);
    }

    private static int[][] handPoints(int[][] xy, FeatureLayout layout) {
        int[] x = new int[xy[0].length];
        int[] y = new int[xy[0].length];
        int n = 0;
        for (int p = 0; p < xy[0].length; p++) {
            LandmarkPart part = layout.columnPart(xy[0][p]);
            int landmark = layout.columnLandmark(xy[0][p]);
            boolean hand = part == LandmarkPart.LEFT_HAND
                    || part == LandmarkPart.RIGHT_HAND
                    || (part == LandmarkPart.POSE
                            && landmark >= PoseLandmark.LEFT_WRIST
                            && landmark <= PoseLandmark.RIGHT_THUMB);
            if (hand) {
                x[n] = xy[0][p];
                y[n] = xy[1][p];
                n++;
            }
        }
        return new int[][] {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
    }

    public FeatureLayout layout() {
        return mirror.layout();
    }

    /** Whether every column has a mirror partner in the layout (required by {@link #mirror}). */
    public boolean canMirror() {
        return mirror.canMirror();
    }

    /**
     * Mirrors {@code frames} frames from {@code src[srcOff..]} into {@code dst[dstOff..]} (must not overlap):
     * {@link WindowMirror#mirror}.
     *
     * @throws InvalidInputException when the layout lacks a partner column (e.g. face points)
     */
    public void mirror(float[] src, int srcOff, float[] dst, int dstOff, int frames) {
        mirror.mirror(src, srcOff, dst, dstOff, frames);
    }

    /** Applies {@code x' = (x - cx) * sx + cx + dx}, same for y, to present points, in place. */
    public void affine(float[] data, int off, int frames, float sx, float sy, float cx, float cy, float dx, float dy) {
        forEachPresentPoint(data, off, frames, (xc, yc) -> {
            data[xc] = (data[xc] - cx) * sx + cx + dx;
            data[yc] = (data[yc] - cy) * sy + cy + dy;
        });
    }

    /** The suite's shift: add {@code (dx, dy)} to present points, in place. */
    public void shift(float[] data, int off, int frames, float dx, float dy) {
        affine(data, off, frames, 1f, 1f, 0f, 0f, dx, dy);
    }

    /**
     * Adds {@code (dx, dy)} to the present points that move with the hands, in place: every point of both hands and
     * the pose's wrists, pinkies, index fingers and thumbs (the body stays where it is: a signer who holds the hands
     * higher, lower or more to one side).
     */
    public void shiftHands(float[] data, int off, int frames, float dx, float dy) {
        forEachPresentPoint(data, off, frames, handXy, (xc, yc) -> {
            data[xc] += dx;
            data[yc] += dy;
        });
    }

    /** The suite's scale: {@code (p - 0.5) * s + 0.5} on x and y of present points, in place. */
    public void scale(float[] data, int off, int frames, float s) {
        affine(data, off, frames, s, s, 0.5f, 0.5f, 0f, 0f);
    }

    /**
     * Zeroes every column of {@code part} in frames {@code start} to {@code start + count - 1} (the part not found
     * there).
     */
    public void clearPart(float[] data, int off, int start, int count, LandmarkPart part) {
        int f = layout().size();
        for (int c = 0; c < f; c++) {
            if (layout().columnPart(c) == part) {
                for (int t = start; t < start + count; t++) {
                    data[off + t * f + c] = 0f;
                }
            }
        }
    }

    /** Copies every column of {@code part} from one window to another ({@code frames} frames each). */
    public void copyPart(float[] src, int srcOff, float[] dst, int dstOff, int frames, LandmarkPart part) {
        int f = layout().size();
        for (int c = 0; c < f; c++) {
            if (layout().columnPart(c) == part) {
                for (int t = 0; t < frames; t++) {
                    dst[dstOff + t * f + c] = src[srcOff + t * f + c];
                }
            }
        }
    }

    /** How many of the {@code frames} frames show {@code part} (any of its columns non-zero). */
    public int framesWith(float[] data, int off, int frames, LandmarkPart part) {
        int f = layout().size();
        int n = 0;
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < f; c++) {
                if (layout().columnPart(c) == part && data[off + t * f + c] != 0f) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} to x and y of present points, in place. */
    public void noise(float[] data, int off, int frames, float sigma, java.util.Random r) {
        forEachPresentPoint(data, off, frames, (xc, yc) -> {
            data[xc] += (float) (sigma * r.nextGaussian());
            data[yc] += (float) (sigma * r.nextGaussian());
        });
    }

    /** Rotates present points by {@code radians} about {@code (cx, cy)}, in place. */
    public void rotate(float[] data, int off, int frames, double radians, float cx, float cy) {
        float cos = (float) StrictMath.cos(radians);
        float sin = (float) StrictMath.sin(radians);
        forEachPresentPoint(data, off, frames, (xc, yc) -> {
            float x = data[xc] - cx;
            float y = data[yc] - cy;
            data[xc] = cx + cos * x - sin * y;
            data[yc] = cy + sin * x + cos * y;
        });
    }

    /**
     * Resamples a window of {@code frames} frames at {@code speed}: output frame t is input frame
     * {@code min(round(start + t * speed), frames - 1)}.
     */
    public void tempo(float[] src, int srcOff, float[] dst, int dstOff, int frames, double speed, double start) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new InvalidInputException("speed must be > 0, was " + speed);
        }
        int frameSize = layout().size();
        for (int t = 0; t < frames; t++) {
            int s = (int) Math.min(Math.max(Math.round(start + t * speed), 0), frames - 1);
            System.arraycopy(src, srcOff + s * frameSize, dst, dstOff + t * frameSize, frameSize);
        }
    }

    /** What {@link #forEachPresentPoint} does to one point, given the indices of its x and y values. */
    @FunctionalInterface
    private interface PointUpdate {
        void apply(int x, int y);
    }

    /**
     * Runs {@code update} on each present point of {@code frames} frames from {@code off} (a point is present when x
     * or y is not 0; a missing point stays 0, as the landmarker writes it).
     */
    private void forEachPresentPoint(float[] data, int off, int frames, PointUpdate update) {
        forEachPresentPoint(data, off, frames, xy, update);
    }

    /** {@link #forEachPresentPoint} over the points of {@code columns} (x columns, then their y columns) only. */
    private void forEachPresentPoint(float[] data, int off, int frames, int[][] columns, PointUpdate update) {
        int frameSize = layout().size();
        int[] xColumns = columns[0];
        int[] yColumns = columns[1];
        for (int f = 0; f < frames; f++) {
            int b = off + f * frameSize;
            for (int p = 0; p < xColumns.length; p++) {
                int xc = b + xColumns[p];
                int yc = b + yColumns[p];
                if (data[xc] != 0f || data[yc] != 0f) {
                    update.apply(xc, yc);
                }
            }
        }
    }

    /** The points (x column, y column) of the layout, for callers that transform them. */
    int pointCount() {
        return xy[0].length;
    }

    /** Whole dataset perturbed by one of the suite's named changes; see {@link PerturbationSuite}. */
    SignDataset apply(SignDataset data, java.util.function.BiConsumer<float[], float[]> perWindow) {
        int w = data.windowSize();
        float[] in = data.windows();
        float[] out = new float[in.length];
        float[] a = new float[w];
        float[] b = new float[w];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(in, i * w, a, 0, w);
            perWindow.accept(a, b);
            System.arraycopy(b, 0, out, i * w, w);
        }
        int[] sessions = new int[data.size()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = data.session(i);
        }
        return new SignDataset(data.layout(), data.sequenceLength(), out, data.labelsArray(), sessions, data.labels())
                .withFrameRate(data.frameRate());
    }
}
