package io.github.kslr.data;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.data.NpyArray.DType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): float32, float64, int16, int32 and
 * int64 arrays in C order, as the reports' authors' tools save landmark data ({@code np.save}).
 *
 * <p>Reading accepts little- and big-endian files; writing always writes little-endian, version 1.0 (2.0 when the
 * header needs it), with the header padded to 64 bytes as NumPy does. Fortran-order files are rejected with a
 * message saying how to re-save them. Data is converted in 64 KiB chunks straight into the Java array, so reading
 * a file takes no more memory than the result; a header declaring more data than the file holds is refused before
 * anything is allocated. From a stream of unknown length the data is gathered first, so memory follows the bytes
 * that really arrive (a small multiple of the result, never more than the stream holds).
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe. Streams passed in are read or written, not closed.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Reads a {@code .npy} file.
     *
     * @throws InvalidInputException when the file is not a {@code .npy} file KSLR supports (message says why)
     * @throws KslrException         when the file cannot be read
     */
    public static NpyArray read(Path file) {
        Checks.notNull(file, "file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString(), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new KslrException(".npy file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new KslrException("cannot read .npy file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Reads one array from a stream, leaving the stream just after it.
     *
     * @param name names the source in messages
     */
    public static NpyArray read(InputStream in, String name) throws IOException {
        return read(in, name, -1);
    }

    /**
     * @param streamBytes bytes from the stream's position to its end when known (a file's size), else -1: a header
     *                    promising more data than that is refused before anything is allocated
     */
    private static NpyArray read(InputStream in, String name, long streamBytes) throws IOException {
        Checks.notNull(in, "in");
        Checks.notNull(name, "name");
        byte[] prefix = readFully(in, 8, name, "the magic string");
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix[i] != MAGIC[i]) {
                throw new InvalidInputException(name + " is not a .npy file: it does not start with \\x93NUMPY");
            }
        }
        int major = prefix[6] & 0xff;
        int headerLength;
        if (major == 1) {
            byte[] len = readFully(in, 2, name, "the header length");
            headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] len = readFully(in, 4, name, "the header length");
            long l = (len[0] & 0xffL) | (len[1] & 0xffL) << 8 | (len[2] & 0xffL) << 16 | (len[3] & 0xffL) << 24;
            if (l > 1 << 24) {
                throw new InvalidInputException(name + ": .npy header length " + l + " is implausible");
            }
            headerLength = (int) l;
        } else {
            throw new InvalidInputException(name + ": .npy format version " + major + "." + (prefix[7] & 0xff)
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        // Version 1 and 2 headers are latin-1 (in practice ASCII); version 3 allows UTF-8.
        String header = new String(
                readFully(in, headerLength, name, "the header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, name, "descr");
        String fortran = find(FORTRAN, header, name, "fortran_order");
        String shapeText = find(SHAPE, header, name, "shape");
        if (fortran.equals("True")) {
            throw new InvalidInputException(name + " is stored in Fortran order; KSLR reads C-order arrays only"
                    + " (re-save it with np.save(path, np.ascontiguousarray(a)))");
        }
        if (descr.length() < 2) {
            throw new InvalidInputException(name + ": dtype '" + descr + "' is not supported");
        }
        char order = descr.charAt(0);
        DType dtype = DType.ofCode(descr.substring(1));
        if (dtype == null || (order != '<' && order != '>' && order != '=')) {
            throw new InvalidInputException(name + ": dtype '" + descr + "' is not supported; expected one of <f4,"
                    + " <f8, <i2, <i4, <i8 (or big-endian >..)");
        }
        ByteOrder byteOrder =
                order == '>' ? ByteOrder.BIG_ENDIAN : order == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        int[] shape = parseShape(shapeText, name);
        int size = NpyArray.sizeOf(shape, name);
        long dataBytes = (long) size * dtype.bytes();
        if (streamBytes >= 0) {
            // The header is not trusted with an allocation the file cannot fill (a forged shape is an instant
            // OutOfMemoryError otherwise).
            long headerBytes = 8 + (major == 1 ? 2 : 4) + headerLength;
            long actual = Math.max(0, streamBytes - headerBytes);
            if (dataBytes > actual) {
                throw new InvalidInputException(name + " is truncated: its header declares shape (" + shapeText
                        + ") of " + descr + ", " + dataBytes + " bytes of data, but the file holds " + actual
                        + " bytes after its header");
            }
        } else if (dataBytes > CHUNK) {
            // Unknown length: gather the bytes first, so that memory follows the data that really arrives.
            in = new java.io.ByteArrayInputStream(readBounded(in, dataBytes, name, size));
        }
        Object data = readData(in, dtype, byteOrder, size, name);
        return new NpyArray(dtype, shape, data);
    }

    private static String find(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InvalidInputException(name + ": .npy header lacks '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) {
        String t = text.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        int n = parts.length;
        if (n == 0) {
            // "(,)": split drops the empty strings around a lone comma.
            throw new InvalidInputException(name + ": cannot parse shape '(" + text + ")'");
        }
        if (parts[n - 1].trim().isEmpty()) {
            n--;
        }
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            String p = parts[i].trim();
            // Python 2 wrote long dimensions as 3L.
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new InvalidInputException(name + ": dimension " + v + " is out of range");
                }
                shape[i] = (int) v;
            } catch (NumberFormatException e) {
                throw new InvalidInputException(name + ": cannot parse shape '(" + text + ")'", e);
            }
        }
        return shape;
    }

    private static Object readData(InputStream in, DType dtype, ByteOrder order, int size, String name)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(order);
        int perChunk = CHUNK / dtype.bytes();
        Object data;
        switch (dtype) {
            case FLOAT32:
                data = new float[size];
                break;
            case FLOAT64:
                data = new double[size];
                break;
            case INT16:
                data = new short[size];
                break;
            case INT32:
                data = new int[size];
                break;
            default:
                data = new long[size];
                break;
        }
        for (int done = 0; done < size; ) {
            int n = Math.min(perChunk, size - done);
            int bytes = n * dtype.bytes();
            int got = in.readNBytes(chunk.array(), 0, bytes);
            if (got < bytes) {
                throw new InvalidInputException(name + " is truncated: its header promises " + size + " elements ("
                        + (long) size * dtype.bytes() + " bytes of data) but the data ends after "
                        + ((long) done * dtype.bytes() + got) + " bytes");
            }
            chunk.clear().limit(bytes);
            switch (dtype) {
                case FLOAT32:
                    chunk.asFloatBuffer().get((float[]) data, done, n);
                    break;
                case FLOAT64:
                    chunk.asDoubleBuffer().get((double[]) data, done, n);
                    break;
                case INT16:
                    chunk.asShortBuffer().get((short[]) data, done, n);
                    break;
                case INT32:
                    chunk.asIntBuffer().get((int[]) data, done, n);
                    break;
                default:
                    chunk.asLongBuffer().get((long[]) data, done, n);
                    break;
            }
            done += n;
        }
        return data;
    }

    /** Exactly {@code n} bytes, buffered in chunks as they arrive; truncated input fails before the full buffer. */
    private static byte[] readBounded(InputStream in, long n, String name, int size) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(CHUNK);
        byte[] chunk = new byte[CHUNK];
        long left = n;
        while (left > 0) {
            int got = in.readNBytes(chunk, 0, (int) Math.min(CHUNK, left));
            if (got == 0) {
                throw new InvalidInputException(name + " is truncated: its header promises " + size + " elements (" + n
                        + " bytes of data) but the data ends after " + (n - left) + " bytes");
            }
            out.write(chunk, 0, got);
            left -= got;
        }
        return out.toByteArray();
    }

    private static byte[] readFully(InputStream in, int n, String name, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new InvalidInputException(name + " is not a complete .npy file: it ends inside " + what);
        }
        return b;
    }

    /**
     * Writes {@code array} to {@code file} (replacing it), creating parent directories. The file appears complete or
     * not at all ({@link AtomicFiles}).
     */
    public static void write(Path file, NpyArray array) {
        Checks.notNull(file, "file");
        Checks.notNull(array, "array");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.write(file, out -> write(out, array));
        } catch (IOException e) {
            throw new KslrException("cannot write .npy file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Writes one array to a stream (little-endian, C order). */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        Checks.notNull(out, "out");
        Checks.notNull(array, "array");
        out.write(header(array));
        DType dtype = array.dtype();
        int size = array.size();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / dtype.bytes();
        Object data = array.data();
        for (int done = 0; done < size; ) {
            int n = Math.min(perChunk, size - done);
            chunk.clear();
            switch (dtype) {
                case FLOAT32:
                    chunk.asFloatBuffer().put((float[]) data, done, n);
                    break;
                case FLOAT64:
                    chunk.asDoubleBuffer().put((double[]) data, done, n);
                    break;
                case INT16:
                    chunk.asShortBuffer().put((short[]) data, done, n);
                    break;
                case INT32:
                    chunk.asIntBuffer().put((int[]) data, done, n);
                    break;
                default:
                    chunk.asLongBuffer().put((long[]) data, done, n);
                    break;
            }
            out.write(chunk.array(), 0, n * dtype.bytes());
            done += n;
        }
    }

    private static byte[] header(NpyArray array) {
        int[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '<" + array.dtype().code() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        // magic (6) + version (2) + length (2 or 4) + dict + padding spaces + '\n', a multiple of 64 in total.
        int lengthBytes = 2;
        int total = align(10 + dict.length() + 1);
        if (total - 10 > 0xffff) {
            lengthBytes = 4;
            total = align(12 + dict.length() + 1);
        }
        int headerLength = total - 8 - lengthBytes;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (lengthBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static int align(int n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}
