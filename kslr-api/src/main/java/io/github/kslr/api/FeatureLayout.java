package io.github.kslr.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * How one frame of landmarks becomes one feature vector: an ordered list of {@link Segment}s, each taking some
 * landmarks of one part with some of their values (landmark-major: x, y, z[, visibility] of the first landmark,
 * then of the next). Absent parts give zeros, as in the reports' datasets.
 *
 * <p>Built-in layouts:
 * <ul>
 *   <li>{@link #REPORTS_177} (default): left hand 21, right hand 21, pose [0, 11, 12, 13, 14, 15, 16, 23, 24],
 *       face [0, 13, 14, 17, 61, 267, 269, 291]; x, y, z each = 177 floats (the KSL reports' features);</li>
 *   <li>{@link #HOLISTIC_1662}: pose 33 x (x, y, z, visibility), face 468 x 3, left hand, right hand = 1662
 *       (the common MediaPipe-Holistic action-recognition tutorial's layout);</li>
 *   <li>{@link #POSE_HANDS_258}: pose 33 x 4, left hand, right hand = 258 (the same without the face).</li>
 * </ul>
 * A layout has a textual {@link #spec()} (e.g. {@code left_hand:0-20:xyz;pose:0,11,12:xyz}) which models store in
 * their metadata, so custom layouts round-trip.
 *
 * <p><b>Thread-safety.</b> Immutable; safe to share.
 */
public final class FeatureLayout {

    /** The KSL reports' 177 features: hands 2 x 21, 9 pose and 8 face points, x, y, z. */
    public static final FeatureLayout REPORTS_177 = parse(
            "reports-177",
            "left_hand:0-20:xyz;right_hand:0-20:xyz;pose:0,11,12,13,14,15,16,23,24:xyz;"
                    + "face:0,13,14,17,61,267,269,291:xyz");
    /** Pose 33 x 4, face 468 x 3, left hand 21 x 3, right hand 21 x 3. */
    public static final FeatureLayout HOLISTIC_1662 =
            parse("holistic-1662", "pose:0-32:xyzv;face:0-467:xyz;left_hand:0-20:xyz;right_hand:0-20:xyz");
    /** Pose 33 x 4, left hand 21 x 3, right hand 21 x 3. */
    public static final FeatureLayout POSE_HANDS_258 =
            parse("pose-hands-258", "pose:0-32:xyzv;left_hand:0-20:xyz;right_hand:0-20:xyz");

    private static final List<FeatureLayout> BUILT_IN = List.of(REPORTS_177, HOLISTIC_1662, POSE_HANDS_258);

    /** Landmarks of one part, each contributing its first {@code components} values. Immutable. */
    public static final class Segment {
        private final LandmarkPart part;
        private final int[] landmarks;
        private final int components;

        Segment(LandmarkPart part, int[] landmarks, int components) {
            this.part = part;
            this.landmarks = landmarks;
            this.components = components;
        }

        public LandmarkPart part() {
            return part;
        }

        /** The landmark indices, in order (a copy). */
        public int[] landmarks() {
            return landmarks.clone();
        }

        public int landmarkCount() {
            return landmarks.length;
        }

        public int landmark(int i) {
            return landmarks[i];
        }

        /** 3 (x, y, z) or 4 (x, y, z, visibility). */
        public int components() {
            return components;
        }

        public int size() {
            return landmarks.length * components;
        }
    }

    private final String name;
    private final String spec;
    private final List<Segment> segments;
    private final int size;
    // For each column: part ordinal, landmark, component (parallel arrays so write() allocates nothing).
    private final LandmarkPart[] columnPart;
    private final int[] columnLandmark;
    private final int[] columnComponent;

    private FeatureLayout(String name, String spec, List<Segment> segments) {
        this.name = name;
        this.spec = spec;
        this.segments = Collections.unmodifiableList(segments);
        int n = 0;
        for (Segment s : segments) {
            n += s.size();
        }
        this.size = n;
        this.columnPart = new LandmarkPart[n];
        this.columnLandmark = new int[n];
        this.columnComponent = new int[n];
        int c = 0;
        for (Segment s : segments) {
            for (int l : s.landmarks) {
                for (int k = 0; k < s.components; k++) {
                    columnPart[c] = s.part;
                    columnLandmark[c] = l;
                    columnComponent[c] = k;
                    c++;
                }
            }
        }
    }

    /**
     * A layout by built-in name ({@code reports-177}, {@code holistic-1662}, {@code pose-hands-258}) or, failing
     * that, parsed from a spec.
     *
     * @throws InvalidInputException when it is neither
     */
    public static FeatureLayout of(String nameOrSpec) {
        Checks.notNull(nameOrSpec, "layout");
        for (FeatureLayout l : BUILT_IN) {
            if (l.name.equals(nameOrSpec) || l.spec.equals(nameOrSpec)) {
                return l;
            }
        }
        if (!nameOrSpec.contains(":")) {
            throw new InvalidInputException("unknown feature layout '" + nameOrSpec + "'; expected one of "
                    + builtInNames() + " or a spec such as 'left_hand:0-20:xyz;pose:0,11,12:xyz'");
        }
        return parse("custom", nameOrSpec);
    }

    /** The built-in layouts. */
    public static List<FeatureLayout> builtIn() {
        return BUILT_IN;
    }

    /**
     * The built-in layouts' names in {@link #builtIn()}'s order: an {@code Iterable} with a no-argument constructor, so
     * that a command line can name it for its completion candidates and its help lists the names from here.
     */
    public static final class BuiltInNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return BUILT_IN.stream().map(FeatureLayout::name).iterator();
        }
    }

    /** The built-in layout with {@code size} features, if there is exactly one. */
    public static FeatureLayout ofSize(int size) {
        for (FeatureLayout l : BUILT_IN) {
            if (l.size == size) {
                return l;
            }
        }
        throw new InvalidInputException(
                "no built-in feature layout has " + size + " features; built-in: " + builtInNames());
    }

    private static String builtInNames() {
        StringBuilder sb = new StringBuilder();
        for (FeatureLayout l : BUILT_IN) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(l.name)
                    .append(" (")
                    .append(l.size)
                    .append(')');
        }
        return sb.toString();
    }

    /**
     * Parses a spec: segments separated by {@code ;}, each {@code part:landmarks:components} where part is
     * {@code pose}, {@code pose_world}, {@code face}, {@code left_hand} or {@code right_hand}; landmarks a comma list
     * of indices and ranges ({@code 0-20}); components {@code xyz} or {@code xyzv} (pose parts only).
     *
     * @throws InvalidInputException naming the faulty segment
     */
    public static FeatureLayout parse(String name, String spec) {
        Checks.notNull(name, "name");
        Checks.notNull(spec, "spec");
        List<Segment> segments = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        for (String raw : spec.split(";", -1)) {
            String seg = raw.trim();
            String[] f = seg.split(":", -1);
            if (f.length != 3) {
                throw new InvalidInputException("layout segment '" + seg + "' must be part:landmarks:components");
            }
            LandmarkPart part = partOf(f[0].trim(), seg);
            int[] landmarks = indicesOf(f[1].trim(), part, seg);
            String comps = f[2].trim();
            int components;
            if (comps.equals("xyz")) {
                components = 3;
            } else if (comps.equals("xyzv") && part.hasVisibility()) {
                components = 4;
            } else {
                throw new InvalidInputException("layout segment '" + seg + "': components must be 'xyz'"
                        + (part.hasVisibility() ? " or 'xyzv'" : "") + ", was '" + comps + "'");
            }
            segments.add(new Segment(part, landmarks, components));
            canonical
                    .append(canonical.length() == 0 ? "" : ";")
                    .append(partName(part))
                    .append(':')
                    .append(indexText(landmarks))
                    .append(':')
                    .append(comps);
        }
        return new FeatureLayout(name, canonical.toString(), segments);
    }

    private static LandmarkPart partOf(String text, String seg) {
        for (LandmarkPart p : LandmarkPart.values()) {
            if (partName(p).equals(text)) {
                return p;
            }
        }
        throw new InvalidInputException("layout segment '" + seg + "': unknown part '" + text
                + "', expected pose, pose_world, face, left_hand or right_hand");
    }

    private static String partName(LandmarkPart p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private static int[] indicesOf(String text, LandmarkPart part, String seg) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String item : text.split(",", -1)) {
                String t = item.trim();
                int dash = t.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).trim());
                int to =
                        dash < 0 ? from : Integer.parseInt(t.substring(dash + 1).trim());
                if (from < 0 || to >= part.landmarkCount() || from > to) {
                    throw new InvalidInputException("layout segment '" + seg + "': landmarks '" + t + "' outside [0, "
                            + (part.landmarkCount() - 1) + "] for " + part);
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            }
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    "layout segment '" + seg + "': landmarks '" + text + "' must be indices and ranges such as 0,11-16",
                    e);
        }
        int[] r = new int[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    private static String indexText(int[] idx) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && idx[j + 1] == idx[j] + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ",");
            // Ranges of three or more read better as a-b; pairs stay as a list.
            if (j - i >= 2) {
                sb.append(idx[i]).append('-').append(idx[j]);
                i = j + 1;
            } else {
                sb.append(idx[i]);
                i++;
            }
        }
        return sb.toString();
    }

    /** Built-in name, or {@code custom}. */
    public String name() {
        return name;
    }

    /** Canonical spec (see {@link #parse}); {@code of(spec())} gives an equal layout. */
    public String spec() {
        return spec;
    }

    /** Number of floats in one frame's feature vector. */
    public int size() {
        return size;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** Whether any feature comes from {@code part}. */
    public boolean uses(LandmarkPart part) {
        for (Segment s : segments) {
            if (s.part == part) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where each point's x and y are: {@code [0]} the x columns of every point the layout holds x of, in column
     * order, {@code [1]} the y column of the same points (new arrays).
     *
     * @throws InvalidInputException when the layout holds a point's x but not its y
     */
    public int[][] xyColumns() {
        int points = 0;
        for (int c = 0; c < size; c++) {
            if (columnComponent(c) == 0) {
                points++;
            }
        }
        int[][] xy = new int[2][points];
        int p = 0;
        for (int c = 0; c < size; c++) {
            if (columnComponent(c) == 0) {
                int yc = columnOf(columnPart(c), columnLandmark(c), 1);
                if (yc < 0) {
                    throw new InvalidInputException(
                            "layout " + spec + " has x but no y of " + columnPart(c) + " " + columnLandmark(c));
                }
                xy[0][p] = c;
                xy[1][p] = yc;
                p++;
            }
        }
        return xy;
    }

    /** The column holding {@code component} of {@code landmark} of {@code part}, or -1 if the layout lacks it. */
    public int columnOf(LandmarkPart part, int landmark, int component) {
        int c = 0;
        for (Segment s : segments) {
            if (s.part == part && component < s.components) {
                for (int i = 0; i < s.landmarks.length; i++) {
                    if (s.landmarks[i] == landmark) {
                        return c + i * s.components + component;
                    }
                }
            }
            c += s.size();
        }
        return -1;
    }

    /** Part that column {@code column} comes from. */
    public LandmarkPart columnPart(int column) {
        return columnPart[column];
    }

    /** Landmark index that column {@code column} comes from. */
    public int columnLandmark(int column) {
        return columnLandmark[column];
    }

    /** Component (0 = x, 1 = y, 2 = z, 3 = visibility) that column {@code column} holds. */
    public int columnComponent(int column) {
        return columnComponent[column];
    }

    /**
     * Writes the feature vector of {@code landmarks} into {@code dst[offset .. offset + size())}. Allocates nothing.
     */
    public void write(HolisticLandmarks landmarks, float[] dst, int offset) {
        Checks.notNull(landmarks, "landmarks");
        Checks.notNull(dst, "dst");
        Checks.range(dst.length, offset, size, "dst");
        int c = offset;
        for (Segment s : segments) {
            LandmarkSet set = landmarks.part(s.part);
            if (!set.isPresent()) {
                Arrays.fill(dst, c, c + s.size(), 0f);
                c += s.size();
                continue;
            }
            for (int l : s.landmarks) {
                for (int k = 0; k < s.components; k++) {
                    dst[c++] = set.value(l, k);
                }
            }
        }
    }

    /** The feature vector of {@code landmarks} in a new array. */
    public float[] toFeatures(HolisticLandmarks landmarks) {
        float[] out = new float[size];
        write(landmarks, out, 0);
        return out;
    }

    /**
     * Whether a frame in this layout shows a hand: any non-zero value among its hand columns. (Datasets store an
     * undetected hand as zeros.) False for a layout without hand columns.
     */
    public boolean hasAnyHand(float[] frame, int offset) {
        Checks.notNull(frame, "frame");
        Checks.range(frame.length, offset, size, "frame");
        for (int c = 0; c < size; c++) {
            LandmarkPart p = columnPart[c];
            if ((p == LandmarkPart.LEFT_HAND || p == LandmarkPart.RIGHT_HAND) && frame[offset + c] != 0f) {
                return true;
            }
        }
        return false;
    }

    /**
     * A conversion from this layout to {@code target}: each target column takes the source column with the same
     * part, landmark and component, or 0 where this layout lacks it (e.g. face points from a 258 layout).
     */
    public Conversion conversionTo(FeatureLayout target) {
        Checks.notNull(target, "target");
        int[] from = new int[target.size];
        for (int c = 0; c < target.size; c++) {
            from[c] = columnOf(target.columnPart[c], target.columnLandmark[c], target.columnComponent[c]);
        }
        return new Conversion(this, target, from);
    }

    /** Maps frames from one layout to another. Immutable; thread-safe. */
    public static final class Conversion {
        private final FeatureLayout source;
        private final FeatureLayout target;
        private final int[] sourceColumn;

        Conversion(FeatureLayout source, FeatureLayout target, int[] sourceColumn) {
            this.source = source;
            this.target = target;
            this.sourceColumn = sourceColumn;
        }

        public FeatureLayout source() {
            return source;
        }

        public FeatureLayout target() {
            return target;
        }

        /** Number of target columns the source lacks (filled with 0). */
        public int missingColumns() {
            int n = 0;
            for (int c : sourceColumn) {
                if (c < 0) {
                    n++;
                }
            }
            return n;
        }

        /** Converts one frame: {@code src[srcOffset..]} (source size) to {@code dst[dstOffset..]} (target size). */
        public void convert(float[] src, int srcOffset, float[] dst, int dstOffset) {
            Checks.notNull(src, "src");
            Checks.notNull(dst, "dst");
            Checks.range(src.length, srcOffset, source.size, "src");
            Checks.range(dst.length, dstOffset, target.size, "dst");
            for (int c = 0; c < sourceColumn.length; c++) {
                int s = sourceColumn[c];
                dst[dstOffset + c] = s < 0 ? 0f : src[srcOffset + s];
            }
        }

        /**
         * Converts {@code frames} consecutive frames (e.g. a whole [N, T, F] dataset flattened) into a new array.
         *
         * @throws InvalidInputException when {@code src.length != frames * source().size()}
         */
        public float[] convertAll(float[] src, int frames) {
            Checks.notNull(src, "src");
            Checks.nonNegative(frames, "frames");
            if ((long) frames * source.size != src.length) {
                throw new InvalidInputException("src must hold " + frames + " frames of " + source.size + " features = "
                        + (long) frames * source.size + " floats, held " + src.length);
            }
            float[] out = new float[Math.multiplyExact(frames, target.size)];
            for (int f = 0; f < frames; f++) {
                convert(src, f * source.size, out, f * target.size);
            }
            return out;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureLayout && ((FeatureLayout) o).spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureLayout[" + name + ", " + size + " features: " + spec + "]";
    }
}
