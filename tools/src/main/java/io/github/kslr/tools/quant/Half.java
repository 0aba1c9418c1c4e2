package io.github.kslr.tools.quant;

/**
 * IEEE 754 half precision to float (exact: every half value is a float). Java 17 has no
 * {@code Float.float16ToFloat}, which came in Java 20.
 *
 * <p>Stateless; thread-safe.
 */
final class Half {
    private Half() {}

    static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal (or zero): mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
