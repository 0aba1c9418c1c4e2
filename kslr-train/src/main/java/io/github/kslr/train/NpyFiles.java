package io.github.kslr.train;

import io.github.kslr.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1-3, C order, little-endian or single-byte types) as float or int
 * arrays - what the training datasets need ({@code X.npy} float32/float64, {@code y.npy} and {@code session.npy}
 * integer types).
 *
 * <p>Kept inside kslr-train only until kslr-recognizer's {@code .npy} I/O lands; then this delegates to it.
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread. Returned arrays belong to the caller.
 */
public final class NpyFiles {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFiles() {
    }

    /** An array read from a file: its shape and values (floats or ints, by {@link #isFloat()}). Immutable view. */
    public record Array(String dtype, int[] shape, float[] floats, int[] ints) {
        public boolean isFloat() {
            return floats != null;
        }

        /** Number of elements. */
        public int size() {
            return isFloat() ? floats.length : ints.length;
        }
    }

    /** Reads a whole {@code .npy} file. */
    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses {@code .npy} bytes; {@code name} names them in messages. */
    public static Array parse(byte[] bytes, String name) {
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U' || bytes[3] != 'M'
                || bytes[4] != 'P' || bytes[5] != 'Y') {
            throw new InvalidInputException(name + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int dataStart;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            dataStart = 10 + headerLen;
        } else if (major == 2 || major == 3) {
            headerLen = b.getInt(8);
            dataStart = 12 + headerLen;
        } else {
            throw new InvalidInputException(name + ": .npy format version " + major + " is not supported (1-3)");
        }
        if (dataStart > bytes.length) {
            throw new InvalidInputException(name + ": truncated .npy header");
        }
        String header = new String(bytes, dataStart - headerLen, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
            throw new InvalidInputException(name + ": Fortran-order arrays are not supported; save with C order");
        }
        int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw new InvalidInputException(name + ": " + count + " elements is more than a Java array holds");
        }
        int n = (int) count;
        char order = descr.charAt(0);
        String type = descr.substring(1);
        if (order == '>' && !type.endsWith("1")) {
            throw new InvalidInputException(name + ": big-endian dtype '" + descr + "' is not supported");
        }
        int itemSize = Integer.parseInt(type.substring(1));
        if ((long) n * itemSize > bytes.length - dataStart) {
            throw new InvalidInputException(name + ": holds " + (bytes.length - dataStart) + " data bytes, shape "
                    + java.util.Arrays.toString(shape) + " of " + descr + " needs " + (long) n * itemSize);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case "f4": {
                float[] f = new float[n];
                data.asFloatBuffer().get(f);
                return new Array(descr, shape, f, null);
            }
            case "f8": {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) data.getDouble(i * 8);
                }
                return new Array(descr, shape, f, null);
            }
            case "i1": case "u1": case "b1": case "i2": case "u2": case "i4": case "u4": case "i8": case "u8": {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    long x;
                    switch (type) {
                        case "i1": x = data.get(i); break;
                        case "u1": case "b1": x = data.get(i) & 0xff; break;
                        case "i2": x = data.getShort(i * 2); break;
                        case "u2": x = data.getShort(i * 2) & 0xffff; break;
                        case "i4": x = data.getInt(i * 4); break;
                        case "u4": x = data.getInt(i * 4) & 0xffffffffL; break;
                        default: x = data.getLong(i * 8); break;
                    }
                    if (x != (int) x) {
                        throw new InvalidInputException(name + ": value " + x + " at " + i + " does not fit an int");
                    }
                    v[i] = (int) x;
                }
                return new Array(descr, shape, null, v);
            }
            default:
                throw new InvalidInputException(name + ": dtype '" + descr
                        + "' is not supported; expected float32/float64 or an integer type");
        }
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InvalidInputException(name + ": .npy header lacks '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(name + ": bad shape '(" + text + ")'", e);
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
