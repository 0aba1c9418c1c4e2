package io.github.kslr.api;

/**
 * Argument checks shared by KSLR modules. Every failure is an {@link InvalidInputException} whose message names the
 * argument, the value it had and what was expected. Stateless; thread-safe.
 */
public final class Checks {
    private Checks() {}

    /** Returns {@code value}, or throws when it is null. */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        return value;
    }

    /** Returns {@code value}, or throws when it is not strictly positive. */
    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new InvalidInputException(name + " must be > 0, was " + value);
        }
        return value;
    }

    /**
     * The most threads any KSLR option accepts: far above any machine's cores, and low enough that a typo (100000)
     * fails at once instead of starting threads until memory runs out.
     */
    public static final int MAX_THREADS = 256;

    /**
     * Returns {@code value}, or throws when it is outside {@code [min, MAX_THREADS]} ({@code min} is 0 where 0 means
     * "let the engine choose", else 1).
     */
    public static int threadCount(int value, int min, String name) {
        if (value < min || value > MAX_THREADS) {
            throw new InvalidInputException(name + " must be in [" + min + ", " + MAX_THREADS + "], was " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws when it is negative. */
    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new InvalidInputException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws when it is NaN, infinite or outside {@code [min, max]}. */
    public static float inRange(float value, float min, float max, String name) {
        if (!(value >= min && value <= max)) {
            throw new InvalidInputException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** Throws unless {@code array.length == expected}. */
    public static float[] length(float[] array, int expected, String name) {
        notNull(array, name);
        if (array.length != expected) {
            throw new InvalidInputException(name + " must have " + expected + " values, had " + array.length);
        }
        return array;
    }

    /** Throws unless {@code [offset, offset + length)} lies inside an array of {@code arrayLength}. */
    public static void range(int arrayLength, int offset, int length, String name) {
        if (offset < 0 || length < 0 || offset > arrayLength - length) {
            throw new InvalidInputException(name + ": range [" + offset + ", " + ((long) offset + length)
                    + ") does not fit in " + arrayLength + " values");
        }
    }

    /** Throws when any of {@code values[offset..offset+length)} is NaN or infinite; names its index. */
    public static void finite(float[] values, int offset, int length, String name) {
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (!Float.isFinite(v)) {
                throw new InvalidInputException(name + "[" + i + "] is " + v + "; all values must be finite");
            }
        }
    }
}
