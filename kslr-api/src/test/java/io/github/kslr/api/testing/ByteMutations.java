package io.github.kslr.api.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Damaged copies of a real, valid file for the parsers' fuzz properties: one to four of bit flips, interesting bytes,
 * truncation, length-field inflation (a large 16/32/64-bit integer, either byte order, written over the bytes at a
 * position; or a run of ASCII digits replaced by a large number, for text headers), insertion and deletion.
 *
 * <p>Half of the positions fall in the first or last {@link #HOT} bytes, where headers, counts and (in ONNX and
 * flatbuffer files) most structure live; the rest anywhere. Each mutant is made from one {@code long}, which its
 * description names, so a failure report rebuilds the same bytes ({@link #mutate}); {@link FuzzChecks#forEachMutant}
 * draws those seeds.
 */
public final class ByteMutations {
    /** Bytes at each end of the file where mutations are concentrated. */
    public static final int HOT = 4096;

    private static final long[] BIG = {
        0x7fffffffL,
        0x80000000L,
        0xffffffffL,
        0x10000000L,
        0x40000000L,
        0xffffL,
        0x7fffL,
        0x01000000L,
        0x7fffffffffffffffL,
        -1L,
        1L << 40
    };
    private static final String[] BIG_DECIMAL = {
        "2147483647",
        "2147483648",
        "4294967296",
        "99999999999999999999",
        "1000000000",
        "100000000",
        "65536",
        "-1",
        "0",
        "1e309",
        "NaN"
    };

    private ByteMutations() {}

    /** A damaged copy of {@code seed} with how it was damaged; {@code toString} is the description (for reports). */
    public record Mutant(byte[] bytes, String description) {
        @Override
        public String toString() {
            return description + " (" + bytes.length + " bytes)";
        }
    }

    /** The mutant {@code randomSeed} makes of {@code seed} (deterministic). */
    public static Mutant mutate(byte[] seed, long randomSeed) {
        Random r = new Random(randomSeed);
        byte[] b = seed.clone();
        int ops = 1 + r.nextInt(4);
        List<String> done = new ArrayList<>();
        for (int k = 0; k < ops; k++) {
            b = apply(b, r, done);
        }
        return new Mutant(b, "seed " + randomSeed + ": " + String.join(", ", done));
    }

    private static int position(byte[] b, Random r) {
        if (b.length == 0) {
            return 0;
        }
        int hot = Math.min(HOT, b.length);
        switch (r.nextInt(4)) {
            case 0:
                return r.nextInt(hot);
            case 1:
                return b.length - 1 - r.nextInt(hot);
            default:
                return r.nextInt(b.length);
        }
    }

    private static byte[] apply(byte[] b, Random r, List<String> done) {
        if (b.length == 0) {
            done.add("insert into empty");
            return new byte[] {(byte) r.nextInt(256)};
        }
        int at = position(b, r);
        switch (r.nextInt(8)) {
            case 0: {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = i == 0 ? at : position(b, r);
                    b[p] ^= (byte) (1 << r.nextInt(8));
                }
                done.add(flips + " bit flips from " + at);
                return b;
            }
            case 1: {
                byte[] interesting = {0, (byte) 0xff, 0x7f, (byte) 0x80, 1, '\n', '\'', ':'};
                b[at] = interesting[r.nextInt(interesting.length)];
                done.add("byte " + at + " = " + (b[at] & 0xff));
                return b;
            }
            case 2: {
                int len = r.nextBoolean()
                        ? r.nextInt(b.length)
                        : Math.max(0, b.length - 1 - r.nextInt(Math.min(64, b.length)));
                done.add("truncate to " + len);
                return Arrays.copyOf(b, len);
            }
            case 3: {
                long v = BIG[r.nextInt(BIG.length)];
                int width = new int[] {2, 4, 4, 8}[r.nextInt(4)];
                boolean little = r.nextBoolean();
                if (r.nextBoolean()) {
                    at &= ~(width - 1); // aligned, as length fields usually are
                }
                for (int i = 0; i < width && at + i < b.length; i++) {
                    int shift = 8 * (little ? i : width - 1 - i);
                    b[at + i] = (byte) (v >>> shift);
                }
                done.add("int" + (8 * width) + (little ? "le" : "be") + " 0x" + Long.toHexString(v) + " at " + at);
                return b;
            }
            case 4: {
                // A run of ASCII digits (a shape, a count, a version) made large: text headers' length fields.
                int start = -1;
                for (int i = 0; i < b.length; i++) {
                    int p = (at + i) % b.length;
                    if (b[p] >= '0' && b[p] <= '9') {
                        start = p;
                        break;
                    }
                }
                if (start < 0) {
                    done.add("no digits");
                    return b;
                }
                while (start > 0 && b[start - 1] >= '0' && b[start - 1] <= '9') {
                    start--;
                }
                int end = start;
                while (end < b.length && b[end] >= '0' && b[end] <= '9') {
                    end++;
                }
                String big = BIG_DECIMAL[r.nextInt(BIG_DECIMAL.length)];
                byte[] digits = big.getBytes(StandardCharsets.US_ASCII);
                byte[] out = new byte[b.length - (end - start) + digits.length];
                System.arraycopy(b, 0, out, 0, start);
                System.arraycopy(digits, 0, out, start, digits.length);
                System.arraycopy(b, end, out, start + digits.length, b.length - end);
                done.add("digits at " + start + " = " + big);
                return out;
            }
            case 5: {
                int n = 1 + r.nextInt(r.nextBoolean() ? 8 : 512);
                byte[] ins = new byte[n];
                if (r.nextBoolean()) {
                    r.nextBytes(ins);
                } else {
                    // A copy of bytes from elsewhere in the file: repeated structure.
                    int from = position(b, r);
                    for (int i = 0; i < n; i++) {
                        ins[i] = b[(from + i) % b.length];
                    }
                }
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                done.add("insert " + n + " at " + at);
                return out;
            }
            case 6: {
                int n = Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 512));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                done.add("delete " + n + " at " + at);
                return out;
            }
            default: {
                int n = Math.min(b.length - at, 1 + r.nextInt(64));
                for (int i = 0; i < n; i++) {
                    b[at + i] = (byte) r.nextInt(256);
                }
                done.add("randomise " + n + " at " + at);
                return b;
            }
        }
    }
}
