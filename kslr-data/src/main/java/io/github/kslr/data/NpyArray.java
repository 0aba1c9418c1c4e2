package io.github.kslr.data;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.Arrays;

/**
 * An n-dimensional numeric array as NumPy stores it in a {@code .npy} file: an element type, a shape and the values
 * in C (row-major) order. Read and written by {@link Npy}.
 *
 * <p>Values live in one Java array of the element type ({@code float[]} for float32 and so on), so an array has at
 * most {@link Integer#MAX_VALUE} elements. The {@code to*Array()} methods convert (with range checks) and always
 * return a new array.
 *
 * <p><b>Thread-safety.</b> Immutable: arrays are copied in and out.
 */
public final class NpyArray {

    /** Element types KSLR reads and writes, with their NumPy type codes (little-endian on disk when written). */
    public enum DType {
        FLOAT32("f4", 4),
        FLOAT64("f8", 8),
        INT16("i2", 2),
        INT32("i4", 4),
        INT64("i8", 8);

        private final String code;
        private final int bytes;

        DType(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** NumPy's kind and size, e.g. {@code f4}. */
        public String code() {
            return code;
        }

        /** Bytes an element. */
        public int bytes() {
            return bytes;
        }

        static DType ofCode(String code) {
            for (DType d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            return null;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final int size;
    /** float[], double[], short[], int[] or long[] according to dtype; never exposed. */
    private final Object data;

    NpyArray(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = java.lang.reflect.Array.getLength(data);
        this.data = data;
    }

    static int sizeOf(int[] shape, String what) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new InvalidInputException(what + ": dimension " + i + " is " + shape[i] + "; must be >= 0");
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE) {
                throw new InvalidInputException(what + ": shape " + Arrays.toString(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements, which a Java array cannot hold");
            }
        }
        return (int) n;
    }

    private static int[] checkedShape(int length, int[] shape) {
        Checks.notNull(shape, "shape");
        int n = sizeOf(shape, "shape");
        if (n != length) {
            throw new InvalidInputException("shape " + Arrays.toString(shape) + " holds " + n + " elements but "
                    + length + " values were given");
        }
        return shape.clone();
    }

    /** A float32 array of {@code shape} over a copy of {@code values}. */
    public static NpyArray ofFloats(float[] values, int... shape) {
        Checks.notNull(values, "values");
        return new NpyArray(DType.FLOAT32, checkedShape(values.length, shape), values.clone());
    }

    /** A float64 array. */
    public static NpyArray ofDoubles(double[] values, int... shape) {
        Checks.notNull(values, "values");
        return new NpyArray(DType.FLOAT64, checkedShape(values.length, shape), values.clone());
    }

    /** An int16 array. */
    public static NpyArray ofShorts(short[] values, int... shape) {
        Checks.notNull(values, "values");
        return new NpyArray(DType.INT16, checkedShape(values.length, shape), values.clone());
    }

    /** An int32 array. */
    public static NpyArray ofInts(int[] values, int... shape) {
        Checks.notNull(values, "values");
        return new NpyArray(DType.INT32, checkedShape(values.length, shape), values.clone());
    }

    /** An int64 array. */
    public static NpyArray ofLongs(long[] values, int... shape) {
        Checks.notNull(values, "values");
        return new NpyArray(DType.INT64, checkedShape(values.length, shape), values.clone());
    }

    public DType dtype() {
        return dtype;
    }

    /** The shape (a copy); {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** Dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Elements. */
    public int size() {
        return size;
    }

    /** The values as float32 (float64 rounded; integers converted exactly up to 2^24). */
    public float[] toFloatArray() {
        switch (dtype) {
            case FLOAT32:
                return ((float[]) data).clone();
            case FLOAT64: {
                double[] d = (double[]) data;
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
                return out;
            }
            default: {
                float[] out = new float[size];
                for (int i = 0; i < size; i++) {
                    out[i] = (float) integer(i);
                }
                return out;
            }
        }
    }

    /** The values as float64 (exact for every type except int64 beyond 2^53). */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        switch (dtype) {
            case FLOAT32: {
                float[] f = (float[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = f[i];
                }
                return out;
            }
            case FLOAT64:
                return ((double[]) data).clone();
            default:
                for (int i = 0; i < size; i++) {
                    out[i] = integer(i);
                }
                return out;
        }
    }

    /**
     * The values as int32: integer types only (int64 values must fit).
     *
     * @throws InvalidInputException for a float array or an int64 value out of range
     */
    public int[] toIntArray() {
        requireInteger("toIntArray");
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            long v = integer(i);
            if (v != (int) v) {
                throw new InvalidInputException("element " + i + " is " + v + ", outside the int range");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** The values as int64: integer types only. */
    public long[] toLongArray() {
        requireInteger("toLongArray");
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = integer(i);
        }
        return out;
    }

    private void requireInteger(String method) {
        if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
            throw new InvalidInputException(method + "() needs an integer array, this one is " + dtype
                    + "; use toFloatArray() or toDoubleArray()");
        }
    }

    private long integer(int i) {
        switch (dtype) {
            case INT16:
                return ((short[]) data)[i];
            case INT32:
                return ((int[]) data)[i];
            case INT64:
                return ((long[]) data)[i];
            default:
                throw new AssertionError(dtype);
        }
    }

    /** The backing array, for Npy's writer only. */
    Object data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray)) {
            return false;
        }
        NpyArray a = (NpyArray) o;
        return dtype == a.dtype
                && Arrays.equals(shape, a.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {a.data});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.deepHashCode(new Object[] {data});
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
