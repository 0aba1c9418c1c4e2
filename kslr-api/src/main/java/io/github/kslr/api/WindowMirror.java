package io.github.kslr.api;

/**
 * Mirror images of landmark windows in one {@link FeatureLayout}: {@code x -> 1 - x} for present points, the left
 * and right hands swapped, pose landmarks swapped with their left/right partners ({@link PoseLandmark#partner}). A
 * right-handed signer's window becomes the window a left-handed signer making the same sign would give. A point is
 * present when its x or y is non-zero (windows store undetected parts as zeros).
 *
 * <p>Training augments with it (kslr-train's {@code Perturbations}) and a vocabulary enrols each take's mirror image
 * with it, so both agree on what "the other hand" means.
 *
 * <p><b>Thread-safety.</b> Immutable (tables computed at construction); {@link #mirror} writes only into the caller's
 * array, so one instance may serve many threads.
 */
public final class WindowMirror {

    private final FeatureLayout layout;
    private final int frameSize;
    /** For each column: the column its mirrored value comes from, or -1 where the layout lacks the partner. */
    private final int[] source;
    /** Columns holding x, and in parallel the y of the same point. */
    private final int[] xColumns;

    private final int[] yColumns;
    /** Whether every column has a partner ({@link #canMirror}). */
    private final boolean complete;

    public WindowMirror(FeatureLayout layout) {
        this.layout = Checks.notNull(layout, "layout");
        this.frameSize = layout.size();
        this.source = new int[frameSize];
        for (int c = 0; c < frameSize; c++) {
            LandmarkPart part = layout.columnPart(c);
            int partner = partnerLandmark(part, layout.columnLandmark(c));
            source[c] = partner < 0 ? -1 : layout.columnOf(partnerPart(part), partner, layout.columnComponent(c));
        }
        complete = java.util.Arrays.stream(source).allMatch(s -> s >= 0);
        int[][] xy = layout.xyColumns();
        xColumns = xy[0];
        yColumns = xy[1];
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** Whether every column has its mirror partner in the layout (face points have none here). */
    public boolean canMirror() {
        return complete;
    }

    /** The part on the signer's other side: the hands swap, the rest stays. */
    public static LandmarkPart partnerPart(LandmarkPart part) {
        switch (Checks.notNull(part, "part")) {
            case LEFT_HAND:
                return LandmarkPart.RIGHT_HAND;
            case RIGHT_HAND:
                return LandmarkPart.LEFT_HAND;
            default:
                return part;
        }
    }

    /**
     * The landmark of {@link #partnerPart} that mirrors {@code landmark} of {@code part}: a pose point's left/right
     * partner, the same index for a hand point, -1 for a face point (face mesh partners are not tabulated).
     */
    public static int partnerLandmark(LandmarkPart part, int landmark) {
        switch (Checks.notNull(part, "part")) {
            case POSE:
            case POSE_WORLD:
                return PoseLandmark.partner(landmark);
            case FACE:
                return -1;
            default:
                return landmark;
        }
    }

    /**
     * Mirrors {@code frames} frames from {@code src[srcOff..]} into {@code dst[dstOff..]} (must not overlap).
     *
     * @throws InvalidInputException when the layout lacks a partner column (e.g. face points), or for ranges outside
     *     the arrays
     */
    public void mirror(float[] src, int srcOff, float[] dst, int dstOff, int frames) {
        if (!canMirror()) {
            throw new InvalidInputException("layout " + layout.spec() + " cannot be mirrored: some columns have no"
                    + " left/right partner in it");
        }
        Checks.notNull(src, "src");
        Checks.notNull(dst, "dst");
        Checks.range(src.length, srcOff, frames * frameSize, "src");
        Checks.range(dst.length, dstOff, frames * frameSize, "dst");
        for (int f = 0; f < frames; f++) {
            int s = srcOff + f * frameSize;
            int d = dstOff + f * frameSize;
            for (int c = 0; c < frameSize; c++) {
                dst[d + c] = src[s + source[c]];
            }
            for (int p = 0; p < xColumns.length; p++) {
                int xc = d + xColumns[p];
                if (dst[xc] != 0f || dst[d + yColumns[p]] != 0f) {
                    dst[xc] = 1f - dst[xc];
                }
            }
        }
    }

    /**
     * The mirror images of windows of {@code frames} frames laid end to end (a new array as long as
     * {@code windows}).
     *
     * @throws InvalidInputException as {@link #mirror}, or when {@code windows} is not whole windows
     */
    public float[] mirrorAll(float[] windows, int frames) {
        Checks.notNull(windows, "windows");
        Checks.positive(frames, "frames");
        int w = frames * frameSize;
        if (windows.length % w != 0) {
            throw new InvalidInputException(
                    "windows of " + frames + " frames x " + frameSize + " floats, got " + windows.length + " floats");
        }
        float[] out = new float[windows.length];
        for (int off = 0; off < windows.length; off += w) {
            mirror(windows, off, out, off, frames);
        }
        return out;
    }
}
