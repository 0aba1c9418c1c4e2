package io.github.kslr.data;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@code .pose} file: the binary landmark format of the sign-language-processing {@code pose-format} library
 * (Python and JavaScript; sign-language corpora are distributed in it). Reads versions 0, 0.1 and 0.2 of its layout;
 * writes 0.2, the version pose-format's current release writes.
 *
 * <p>Layout (little-endian; {@code str} is a uint16 byte length and that many UTF-8 bytes): header = float32
 * version, uint16 width, height, depth, uint16 component count, then per component {@code str} name, {@code str}
 * format (e.g. {@code XYZC}: one letter a value, {@code C} the confidence, last), uint16 point, limb and colour
 * counts, the point names ({@code str} each), the limbs (uint16 from, to) and the colours (uint16 R, G, B). Body of
 * 0.2: float32 fps, uint32 frames, uint16 people, then float32 data {@code [frames][people][points][dims]} and float32
 * confidence {@code [frames][people][points]}, where points counts every component's points in order and dims is the
 * longest format's length less one. Version 0.1 has a uint16 fps and uint16 frames; version 0 stores per frame a
 * uint16 person count and per person an int16 id and each point's values in its component's format order (the
 * people of a frame are padded here to the most any frame has, with zeros and confidence 0; ids are not kept).
 *
 * <p>Reading trusts no count: every count is checked against the bytes the file holds before anything is allocated
 * for it, and a damaged file is refused with an {@link InvalidInputException} that names the problem (truncated,
 * unsupported version, a count the file cannot hold).
 *
 * <p>{@link HolisticPose} maps KSLR's {@code HolisticLandmarks} sequences to and from this type with the component
 * names pose-format gives MediaPipe Holistic.
 *
 * <p><b>Thread-safety.</b> Immutable; values are copied in and out. {@code equals} compares every value exactly.
 */
public final class PoseFile {
    /** The version {@link #write} writes: 0.2 (as float32, what pose-format writes). */
    public static final float VERSION = 0.2f;

    /** Largest value of the format's uint16 fields. */
    private static final int U16 = 0xffff;

    /** A limb: a line from one point of a component to another (indices into the component's points). */
    public record Limb(int from, int to) {
        /** @throws InvalidInputException when an index is outside the format's uint16 range */
        public Limb {
            u16(from, "limb from");
            u16(to, "limb to");
        }
    }

    /** A drawing colour, each channel a uint16 (pose-format uses 0-255). */
    public record Color(int red, int green, int blue) {
        /** @throws InvalidInputException when a channel is outside the format's uint16 range */
        public Color {
            u16(red, "red");
            u16(green, "green");
            u16(blue, "blue");
        }
    }

    /**
     * One component of the header: a named group of points with a value format.
     *
     * @param format one letter a value ({@code XYC}, {@code XYZC}), {@code C} (the confidence) last and only there
     */
    public record Component(String name, String format, List<String> points, List<Limb> limbs, List<Color> colors) {
        /** @throws InvalidInputException when a name, the format or a count does not fit the format */
        public Component {
            Checks.notNull(name, "name");
            Checks.notNull(format, "format");
            points = List.copyOf(Checks.notNull(points, "points"));
            limbs = List.copyOf(Checks.notNull(limbs, "limbs"));
            colors = List.copyOf(Checks.notNull(colors, "colors"));
            strLength(name, "component name");
            strLength(format, "format of " + name);
            if (format.isEmpty() || format.indexOf('C') != format.length() - 1) {
                throw new InvalidInputException("format of component " + name + " must end with its confidence"
                        + " letter C and have it only there (e.g. XYZC), was '" + format + "'");
            }
            for (String p : points) {
                strLength(p, "point name in " + name);
            }
            u16(points.size(), "points of " + name);
            u16(limbs.size(), "limbs of " + name);
            u16(colors.size(), "colors of " + name);
        }

        /** Coordinate values a point has: the format's length less the confidence. */
        public int dims() {
            return format.length() - 1;
        }
    }

    /**
     * What a .pose file says before its frames (pose-format's {@code PoseHeader}): the version, the dimensions and the
     * components, with the point count and value count a point that follow from them.
     */
    private record Header(float version, int width, int height, int depth, List<Component> components) {
        int points() {
            return pointCount(components);
        }

        int dims() {
            return dimsOf(components);
        }
    }

    private final Header header;
    private final float fps;
    private final int frames;
    private final int people;
    private final int points;
    private final int dims;
    final float[] data;
    final float[] confidence;

    private PoseFile(Header header, float fps, int frames, int people, float[] data, float[] confidence) {
        this.header = header;
        this.fps = fps;
        this.frames = frames;
        this.people = people;
        this.points = header.points();
        this.dims = header.dims();
        this.data = data;
        this.confidence = confidence;
    }

    /**
     * A pose of version {@link #VERSION}.
     *
     * @param data       {@code [frames][people][points][dims]}: points = all components' points, dims = the longest
     *                   format's length less one (copied)
     * @param confidence {@code [frames][people][points]} (copied)
     * @throws InvalidInputException when a size does not fit the format or the arrays do not have the sizes above
     */
    public static PoseFile of(
            int width,
            int height,
            int depth,
            List<Component> components,
            float fps,
            int frames,
            int people,
            float[] data,
            float[] confidence) {
        u16(width, "width");
        u16(height, "height");
        u16(depth, "depth");
        List<Component> cs = List.copyOf(Checks.notNull(components, "components"));
        u16(cs.size(), "components");
        if (!Float.isFinite(fps) || fps < 0) {
            throw new InvalidInputException("fps must be finite and >= 0, was " + fps);
        }
        Checks.nonNegative(frames, "frames");
        u16(people, "people");
        Checks.notNull(data, "data");
        Checks.notNull(confidence, "confidence");
        long cells = (long) frames * people * pointCount(cs);
        if (data.length != cells * dimsOf(cs) || confidence.length != cells) {
            throw new InvalidInputException("data must hold frames x people x points x dims = " + frames + " x "
                    + people + " x " + pointCount(cs) + " x " + dimsOf(cs) + " values and confidence " + cells
                    + "; they hold " + data.length + " and " + confidence.length);
        }
        return new PoseFile(
                new Header(VERSION, width, height, depth, cs), fps, frames, people, data.clone(), confidence.clone());
    }

    /** The version the file was read with, or {@link #VERSION}. */
    public float version() {
        return header.version();
    }

    public int width() {
        return header.width();
    }

    public int height() {
        return header.height();
    }

    public int depth() {
        return header.depth();
    }

    public List<Component> components() {
        return header.components();
    }

    /** The component of that name, or null. */
    public Component component(String name) {
        for (Component c : header.components()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Index of the first point of the component of that name among all points, or -1. */
    public int pointOffset(String componentName) {
        int offset = 0;
        for (Component c : header.components()) {
            if (c.name().equals(componentName)) {
                return offset;
            }
            offset += c.points().size();
        }
        return -1;
    }

    public float fps() {
        return fps;
    }

    public int frameCount() {
        return frames;
    }

    public int peopleCount() {
        return people;
    }

    /** Points of all components together. */
    public int pointCount() {
        return points;
    }

    /** Coordinate values a point: the longest component format's length less the confidence. */
    public int dims() {
        return dims;
    }

    /** Coordinate {@code dim} of a point ({@code point} counts across all components). */
    public float value(int frame, int person, int point, int dim) {
        check(frame, frames, "frame");
        check(person, people, "person");
        check(point, points, "point");
        check(dim, dims, "dim");
        return data[((frame * people + person) * points + point) * dims + dim];
    }

    /** Confidence of a point ({@code point} counts across all components). */
    public float confidence(int frame, int person, int point) {
        check(frame, frames, "frame");
        check(person, people, "person");
        check(point, points, "point");
        return confidence[(frame * people + person) * points + point];
    }

    /** A copy of all coordinates, {@code [frames][people][points][dims]}. */
    public float[] data() {
        return data.clone();
    }

    /** A copy of all confidences, {@code [frames][people][points]}. */
    public float[] confidences() {
        return confidence.clone();
    }

    private static void check(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new InvalidInputException(what + " must be in [0, " + size + "), was " + index);
        }
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /**
     * Reads a {@code .pose} file (versions 0, 0.1, 0.2).
     *
     * @throws InvalidInputException when the file is not a {@code .pose} file KSLR reads (the message says why)
     * @throws KslrException         when it cannot be read
     */
    public static PoseFile read(Path file) {
        Checks.notNull(file, "file");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(
                        ".pose file " + file + " is " + size + " bytes; KSLR reads .pose" + " files up to 2 GB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KslrException(".pose file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new KslrException("cannot read .pose file " + file.toAbsolutePath() + ": " + e, e);
        }
        return read(bytes, file.toString());
    }

    /**
     * Reads a {@code .pose} file's bytes.
     *
     * @param name names the source in messages
     * @throws InvalidInputException when the bytes are not a {@code .pose} file KSLR reads (the message says why)
     */
    public static PoseFile read(byte[] bytes, String name) {
        Checks.notNull(bytes, "bytes");
        Checks.notNull(name, "name");
        return new Reader(bytes, name).pose();
    }

    /** A cursor over the file's bytes that refuses to read past their end. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final String name;

        Reader(byte[] bytes, String name) {
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.name = name;
        }

        private void need(long n, String what) {
            if (n > buf.remaining()) {
                throw new InvalidInputException(name + " is truncated: " + what + " needs " + n + " bytes at offset "
                        + buf.position() + ", the file holds " + buf.remaining() + " more");
            }
        }

        private int u16(String what) {
            need(2, what);
            return buf.getShort() & U16;
        }

        private float f32(String what) {
            need(4, what);
            return buf.getFloat();
        }

        private String str(String what) {
            int length = u16(what);
            need(length, what);
            byte[] b = new byte[length];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        PoseFile pose() {
            float version = f32("the version");
            // pose-format compares the version rounded to 3 decimals (0.1 is not exact in float32).
            float rounded = Float.isFinite(version) ? Math.round(version * 1000) / 1000f : Float.NaN;
            int v;
            if (rounded == 0f) {
                v = 0;
            } else if (rounded == 0.1f) {
                v = 1;
            } else if (rounded == 0.2f) {
                v = 2;
            } else {
                throw new InvalidInputException(name + ": .pose version " + version + " is not supported; KSLR reads"
                        + " versions 0, 0.1 and 0.2 (or the file is not a .pose file)");
            }
            int width = u16("the width");
            int height = u16("the height");
            int depth = u16("the depth");
            int count = u16("the component count");
            // Each component takes at least 10 bytes (two empty strings, three counts).
            need(10L * count, count + " components");
            List<Component> components = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                components.add(component(i));
            }
            Header header = new Header(version, width, height, depth, List.copyOf(components));
            return v == 0 ? bodyV0(header) : bodyV01(v, header);
        }

        private Component component(int index) {
            String what = "component " + index;
            String cname = str(what + "'s name");
            String format = str(what + "'s format");
            int np = u16(what + "'s point count");
            int nl = u16(what + "'s limb count");
            int nc = u16(what + "'s colour count");
            need(
                    2L * np + 4L * nl + 6L * nc,
                    what + " (" + cname + "): " + np + " point names, " + nl + " limbs and " + nc + " colours");
            List<String> pointNames = new ArrayList<>(np);
            for (int i = 0; i < np; i++) {
                pointNames.add(str(what + "'s point " + i));
            }
            need(4L * nl + 6L * nc, what + " (" + cname + "): " + nl + " limbs and " + nc + " colours");
            List<Limb> limbs = new ArrayList<>(nl);
            for (int i = 0; i < nl; i++) {
                limbs.add(new Limb(buf.getShort() & U16, buf.getShort() & U16));
            }
            List<Color> colors = new ArrayList<>(nc);
            for (int i = 0; i < nc; i++) {
                colors.add(new Color(buf.getShort() & U16, buf.getShort() & U16, buf.getShort() & U16));
            }
            try {
                return new Component(cname, format, pointNames, limbs, colors);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(name + ": " + what + ": " + e.getMessage(), e);
            }
        }

        private PoseFile bodyV01(int v, Header header) {
            int points = header.points();
            int dims = header.dims();
            float fps;
            long frames;
            if (v == 1) {
                fps = u16("the fps");
                frames = u16("the frame count");
            } else {
                fps = f32("the fps");
                need(4, "the frame count");
                frames = buf.getInt() & 0xffffffffL;
            }
            int people = u16("the people count");
            long perFrame = mul(mul(people, points), dims + 1L) * 4;
            if (v == 1 && perFrame > 0) {
                // Version 0.1 stores the frame count in 16 bits, too few for long videos: pose-format counts the
                // frames from the bytes left, which agree with the stored count modulo 65536.
                long fit = buf.remaining() / perFrame;
                if (fit > frames && (fit & U16) == frames) {
                    frames = fit;
                }
            }
            long bytes = mul(frames, perFrame);
            need(
                    bytes,
                    "the body: " + frames + " frames x " + people + " people x " + points + " points x (" + dims
                            + " values + confidence) of float32");
            if (frames > Integer.MAX_VALUE - 8 || bytes / 4 > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(name + ": " + frames + " frames are more than KSLR reads");
            }
            if (!Float.isFinite(fps) || fps < 0) {
                throw new InvalidInputException(name + ": fps " + fps + " is not a frame rate");
            }
            int cells = (int) (frames * people * points);
            float[] data = new float[cells * dims];
            float[] confidence = new float[cells];
            buf.asFloatBuffer().get(data);
            buf.position(buf.position() + data.length * 4);
            buf.asFloatBuffer().get(confidence);
            buf.position(buf.position() + confidence.length * 4);
            return new PoseFile(header, fps, (int) frames, people, data, confidence);
        }

        private PoseFile bodyV0(Header header) {
            List<Component> components = header.components();
            int points = header.points();
            int dims = header.dims();
            int fps = u16("the fps");
            int frames = u16("the frame count");
            long personBytes = 2;
            for (Component c : components) {
                personBytes += 4L * c.points().size() * c.format().length();
            }
            // First pass: check that every frame is there and find the most people in one frame.
            int start = buf.position();
            int maxPeople = 0;
            for (int f = 0; f < frames; f++) {
                int n = u16("frame " + f + "'s people count");
                need(n * personBytes, "frame " + f + ": " + n + " people of " + personBytes + " bytes");
                buf.position((int) (buf.position() + n * personBytes));
                maxPeople = Math.max(maxPeople, n);
            }
            long cells = (long) frames * maxPeople * points;
            // Padding every frame to the most people must not turn a few bytes into a huge allocation.
            long fileBytes = buf.limit();
            long values = cells * (dims + 1L);
            if (values * 4 > 16 * fileBytes + (1 << 20) || values > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(name + ": " + frames + " frames padded to " + maxPeople + " people"
                        + " would take " + cells * (dims + 1L) * 4 + " bytes, far more than the file's " + fileBytes);
            }
            float[] data = new float[(int) cells * dims];
            float[] confidence = new float[(int) cells];
            buf.position(start);
            for (int f = 0; f < frames; f++) {
                int n = buf.getShort() & U16;
                for (int p = 0; p < n; p++) {
                    buf.getShort(); // person id: not kept
                    int point = (f * maxPeople + p) * points;
                    for (Component c : components) {
                        int cd = c.dims();
                        for (int i = 0; i < c.points().size(); i++, point++) {
                            for (int d = 0; d < cd; d++) {
                                data[point * dims + d] = buf.getFloat();
                            }
                            confidence[point] = buf.getFloat();
                        }
                    }
                }
            }
            return new PoseFile(header, fps, frames, maxPeople, data, confidence);
        }
    }

    /** a * b for non-negative values, saturating at Long.MAX_VALUE (a count the file cannot hold anyway). */
    private static long mul(long a, long b) {
        long r = a * b;
        return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /**
     * Writes the pose as version {@link #VERSION}, complete or not at all ({@link AtomicFiles}).
     *
     * @throws KslrException when the file cannot be written
     */
    public void write(Path file) {
        Checks.notNull(file, "file");
        try {
            AtomicFiles.write(file, this::write);
        } catch (IOException e) {
            throw new KslrException("cannot write .pose file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Writes the pose as version {@link #VERSION}; the stream is not closed. */
    public void write(OutputStream out) throws IOException {
        Checks.notNull(out, "out");
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(VERSION)
                .putShort((short) header.width())
                .putShort((short) header.height())
                .putShort((short) header.depth());
        headerBytes.write(b.array(), 0, 10);
        writeU16(headerBytes, header.components().size());
        for (Component c : header.components()) {
            writeStr(headerBytes, c.name());
            writeStr(headerBytes, c.format());
            writeU16(headerBytes, c.points().size());
            writeU16(headerBytes, c.limbs().size());
            writeU16(headerBytes, c.colors().size());
            for (String p : c.points()) {
                writeStr(headerBytes, p);
            }
            for (Limb l : c.limbs()) {
                writeU16(headerBytes, l.from());
                writeU16(headerBytes, l.to());
            }
            for (Color k : c.colors()) {
                writeU16(headerBytes, k.red());
                writeU16(headerBytes, k.green());
                writeU16(headerBytes, k.blue());
            }
        }
        ByteBuffer info = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        info.putFloat(fps).putInt(frames).putShort((short) people);
        headerBytes.write(info.array(), 0, 10);
        headerBytes.writeTo(out);
        writeFloats(out, data);
        writeFloats(out, confidence);
    }

    /** The bytes {@link #write(OutputStream)} writes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new AssertionError(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putFloat(v);
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static void writeU16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write(v >>> 8 & 0xff);
    }

    private static void writeStr(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeU16(out, b.length);
        out.write(b, 0, b.length);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    static int pointCount(List<Component> components) {
        long n = 0;
        for (Component c : components) {
            n += c.points().size();
        }
        if (n > Integer.MAX_VALUE / 8) {
            throw new InvalidInputException(n + " points are more than KSLR handles");
        }
        return (int) n;
    }

    static int dimsOf(List<Component> components) {
        int d = 0;
        for (Component c : components) {
            d = Math.max(d, c.dims());
        }
        return d;
    }

    private static int u16(int value, String name) {
        if (value < 0 || value > U16) {
            throw new InvalidInputException(
                    name + " must be in [0, 65535] (a uint16 of the .pose format), was " + value);
        }
        return value;
    }

    private static void strLength(String s, String what) {
        Checks.notNull(s, what);
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        if (n > U16) {
            throw new InvalidInputException(what + " takes " + n + " UTF-8 bytes; the .pose format holds 65535");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoseFile)) {
            return false;
        }
        PoseFile p = (PoseFile) o;
        return header.equals(p.header)
                && Float.compare(fps, p.fps) == 0
                && frames == p.frames
                && people == p.people
                && Arrays.equals(data, p.data)
                && Arrays.equals(confidence, p.confidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, fps, frames, people, Arrays.hashCode(data), Arrays.hashCode(confidence));
    }

    @Override
    public String toString() {
        return "PoseFile[version " + header.version() + ", " + header.width() + "x" + header.height() + "x"
                + header.depth() + ", " + header.components().size()
                + " components, " + points + " points, " + fps + " fps, " + frames + " frames, " + people
                + " people]";
    }
}
