package io.github.kslr.api;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The landmarks of one {@link LandmarkPart} in one frame, or its absence. Values live in one flat {@code float[]}
 * ({@code x, y, z[, visibility]} per landmark, in the part's landmark order): no object per landmark.
 *
 * <p>An absent part has the part's full size and reads as zeros, which is what the reports' feature vectors use
 * for an undetected part.
 *
 * <p><b>Thread-safety.</b> Immutable, so safe to share. Values are copied in at construction and copied out by
 * {@link #copyTo}; nothing exposes the internal array. {@code equals} compares values exactly (no tolerance).
 */
public final class LandmarkSet {
    private final LandmarkPart part;
    private final boolean present;
    private final float score;
    private final float[] values;

    private LandmarkSet(LandmarkPart part, boolean present, float score, float[] values) {
        this.part = part;
        this.present = present;
        this.score = score;
        this.values = values;
    }

    /** One shared absent set a part (immutable), so a frame without a face or a hand allocates nothing for it. */
    private static final LandmarkSet[] ABSENT = new LandmarkSet[LandmarkPart.values().length];

    static {
        for (LandmarkPart p : LandmarkPart.values()) {
            ABSENT[p.ordinal()] = new LandmarkSet(p, false, 0f, new float[p.valueCount()]);
        }
    }

    /** An absent part: {@link #isPresent()} is false, every value 0. The same shared instance for each part. */
    public static LandmarkSet absent(LandmarkPart part) {
        Checks.notNull(part, "part");
        return ABSENT[part.ordinal()];
    }

    /**
     * A present part, copying {@code part.valueCount()} values from {@code values[offset..]}.
     *
     * @param score the detector's confidence that the part is there, in [0, 1]
     * @throws InvalidInputException when the values do not fit, hold NaN or infinity, or the score is not in [0, 1]
     */
    public static LandmarkSet of(LandmarkPart part, float[] values, int offset, float score) {
        Checks.notNull(part, "part");
        Checks.notNull(values, "values");
        Checks.range(values.length, offset, part.valueCount(), part + " values");
        Checks.finite(values, offset, part.valueCount(), part + " values");
        Checks.inRange(score, 0f, 1f, "score");
        return new LandmarkSet(part, true, score, Arrays.copyOfRange(values, offset, offset + part.valueCount()));
    }

    /** A present part from exactly {@code part.valueCount()} values, score 1. */
    public static LandmarkSet of(LandmarkPart part, float[] values) {
        Checks.notNull(part, "part");
        Checks.length(values, part.valueCount(), part + " values");
        return of(part, values, 0, 1f);
    }

    public LandmarkPart part() {
        return part;
    }

    public boolean isPresent() {
        return present;
    }

    /** The detector's confidence for the part, 0 when absent. */
    public float score() {
        return score;
    }

    /** Number of landmarks (the part's fixed count, also when absent). */
    public int size() {
        return part.landmarkCount();
    }

    public float x(int landmark) {
        return values[index(landmark)];
    }

    public float y(int landmark) {
        return values[index(landmark) + 1];
    }

    public float z(int landmark) {
        return values[index(landmark) + 2];
    }

    /**
     * Visibility of a pose landmark, in [0, 1].
     *
     * @throws InvalidInputException for a part without visibility (hands, face)
     */
    public float visibility(int landmark) {
        if (!part.hasVisibility()) {
            throw new InvalidInputException(part + " landmarks have no visibility");
        }
        return values[index(landmark) + 3];
    }

    /** Value {@code component} (0 = x, 1 = y, 2 = z, 3 = visibility) of a landmark. */
    public float value(int landmark, int component) {
        if (component < 0 || component >= part.valuesPerLandmark()) {
            throw new InvalidInputException(
                    "component must be in [0, " + part.valuesPerLandmark() + ") for " + part + ", was " + component);
        }
        return values[index(landmark) + component];
    }

    /** Copies all {@code part().valueCount()} values into {@code dst[offset..]}. */
    public void copyTo(float[] dst, int offset) {
        Checks.notNull(dst, "dst");
        Checks.range(dst.length, offset, values.length, "dst");
        System.arraycopy(values, 0, dst, offset, values.length);
    }

    /** Copies all values into {@code dst} at its position, advancing it. */
    public void copyTo(FloatBuffer dst) {
        Checks.notNull(dst, "dst");
        if (dst.remaining() < values.length) {
            throw new InvalidInputException("dst has " + dst.remaining() + " floats remaining, needs " + values.length);
        }
        dst.put(values);
    }

    /** A fresh copy of the values. */
    public float[] toArray() {
        return values.clone();
    }

    private int index(int landmark) {
        if (landmark < 0 || landmark >= part.landmarkCount()) {
            throw new InvalidInputException(
                    "landmark must be in [0, " + part.landmarkCount() + ") for " + part + ", was " + landmark);
        }
        return landmark * part.valuesPerLandmark();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LandmarkSet)) {
            return false;
        }
        LandmarkSet other = (LandmarkSet) o;
        return part == other.part
                && present == other.present
                && Float.compare(score, other.score) == 0
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * part.hashCode() + Boolean.hashCode(present)) + Float.hashCode(score))
                + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return present ? part + "[" + size() + " landmarks, score " + score + "]" : part + "[absent]";
    }
}
