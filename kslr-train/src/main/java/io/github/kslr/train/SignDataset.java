package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.data.MpDataset;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled landmark sequences: {@code N} windows of {@code T} frames in one {@link FeatureLayout}, a class index per
 * window and a recording session per window (0 when unknown).
 *
 * <p>Sources: a folder with {@code X.npy} ([N, T, F] float), {@code y.npy} (int), {@code labels.txt} (one label a
 * line) and optionally {@code session.npy} and {@code frame_rate.txt} (the windows' frames a second, when they were
 * resampled to one rate); or the reports' {@code MP_Data/<sign>/<sequence>/<frame>.npy} folders.
 * {@link #save(Path)} writes the first form (e.g. from video recordings, with {@link RecordingWindows}).
 *
 * <p><b>Thread-safety.</b> Immutable after construction: the arrays are private copies, accessors return copies or
 * read single values, so instances are safe to share between threads.
 */
public final class SignDataset {

    private final FeatureLayout layout;
    private final int sequenceLength;
    private final float[] x;
    private final int[] y;
    private final int[] session;
    private final List<String> labels;
    private final double frameRate;

    /**
     * @param x {@code [n, sequenceLength, layout.size()]} row-major (copied)
     * @param y class index per window (copied)
     * @param session recording session per window (copied), or null for all 0
     */
    public SignDataset(
            FeatureLayout layout, int sequenceLength, float[] x, int[] y, int[] session, List<String> labels) {
        Checks.notNull(layout, "layout");
        Checks.positive(sequenceLength, "sequenceLength");
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.notNull(labels, "labels");
        long window = (long) sequenceLength * layout.size();
        if (x.length != y.length * window) {
            throw new InvalidInputException("x holds " + x.length + " floats; " + y.length + " windows of "
                    + sequenceLength + " x " + layout.size() + " need " + y.length * window);
        }
        if (session != null && session.length != y.length) {
            throw new InvalidInputException("session has " + session.length + " entries, expected " + y.length);
        }
        checkLabels(labels);
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= labels.size()) {
                throw new InvalidInputException("y[" + i + "] = " + y[i] + " is outside [0, " + labels.size()
                        + ") (labels.txt has " + labels.size() + " labels)");
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new InvalidInputException("x has a non-finite value " + x[i] + " in window " + i / window);
            }
        }
        this.layout = layout;
        this.sequenceLength = sequenceLength;
        this.x = x.clone();
        this.y = y.clone();
        this.session = session == null ? new int[y.length] : session.clone();
        this.labels = List.copyOf(labels);
        this.frameRate = 0;
    }

    /** A copy of {@code d} with another frame rate (the arrays are immutable and shared). */
    private SignDataset(SignDataset d, double frameRate) {
        this.layout = d.layout;
        this.sequenceLength = d.sequenceLength;
        this.x = d.x;
        this.y = d.y;
        this.session = d.session;
        this.labels = d.labels;
        this.frameRate = frameRate;
    }

    /**
     * The same windows, recorded at {@code fps} frames a second (0 = unknown, e.g. each recording's own rate); the
     * trainer writes it into the model so that a recognizer resamples live frames to it.
     *
     * @throws InvalidInputException for a negative, NaN or infinite rate or one above 1000
     */
    public SignDataset withFrameRate(double fps) {
        SignModelMetadata.checkFrameRate(fps, "frame rate");
        return fps == frameRate ? this : new SignDataset(this, fps);
    }

    /** Frames a second of the windows, or 0 when unknown. */
    public double frameRate() {
        return frameRate;
    }

    /**
     * Loads {@code dir/X.npy}, {@code dir/y.npy}, {@code dir/labels.txt} and, when present, {@code dir/session.npy}
     * and {@code dir/frame_rate.txt}. The layout is the built-in one with {@code F} features.
     */
    public static SignDataset load(Path dir) {
        Checks.notNull(dir, "dir");
        Path xf = dir.resolve("X.npy");
        Path yf = dir.resolve("y.npy");
        Path lf = dir.resolve("labels.txt");
        for (Path p : List.of(xf, yf, lf)) {
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException("dataset folder " + dir + " lacks " + p.getFileName()
                        + " (expected X.npy [N,T,F], y.npy [N], labels.txt, optional session.npy)");
            }
        }
        NpyArray xa = Npy.read(xf);
        if (isInteger(xa) || xa.rank() != 3) {
            throw new InvalidInputException(
                    xf + " must be a float array [N, T, F], was " + xa.dtype() + " " + Arrays.toString(xa.shape()));
        }
        int n = xa.shape()[0];
        int[] y = readIndices(yf, n);
        Path sf = dir.resolve("session.npy");
        int[] sessions = Files.isRegularFile(sf) ? readIndices(sf, n) : null;
        return new SignDataset(
                        FeatureLayout.ofSize(xa.shape()[2]),
                        xa.shape()[1],
                        xa.toFloatArray(),
                        y,
                        sessions,
                        readLabels(lf))
                .withFrameRate(readFrameRate(dir.resolve(FRAME_RATE_FILE)));
    }

    private static final String FRAME_RATE_FILE = "frame_rate.txt";

    private static double readFrameRate(Path file) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            double fps = Double.parseDouble(text);
            if (fps > 0 && fps <= SignModelMetadata.MAX_FRAME_RATE) {
                return fps;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(file + " must hold the windows' frames a second (a number above 0, up to "
                + (int) SignModelMetadata.MAX_FRAME_RATE + "), held '" + text + "'");
    }

    private static boolean isInteger(NpyArray a) {
        return a.dtype() != NpyArray.DType.FLOAT32 && a.dtype() != NpyArray.DType.FLOAT64;
    }

    private static int[] readIndices(Path file, int n) {
        NpyArray a = Npy.read(file);
        if (!isInteger(a) || a.rank() != 1 || a.shape()[0] != n) {
            throw new InvalidInputException(file + " must be an integer array [" + n + "], was " + a.dtype() + " "
                    + Arrays.toString(a.shape()));
        }
        return a.toIntArray();
    }

    /** Labels from a text file, one a line; trailing empty lines are ignored. */
    public static List<String> readLabels(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            lines.set(i, lines.get(i).strip());
            if (lines.get(i).isEmpty()) {
                throw new InvalidInputException(file + ": line " + (i + 1) + " is an empty label");
            }
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException(file + " holds no labels");
        }
        return lines;
    }

    /** A dataset folder ({@code X.npy}, ...: {@link #load}) or, without {@code X.npy}, an {@code MP_Data} folder. */
    public static SignDataset open(Path dir) {
        Checks.notNull(dir, "dir");
        return Files.isRegularFile(dir.resolve("X.npy")) ? load(dir) : loadMpData(dir);
    }

    /**
     * Loads the reports' layout {@code root/<sign>/<sequence>/<frame>.npy} (read by kslr-data's
     * {@link MpDataset}): labels in the order of {@code root/labels.txt} when present, else sorted folder names.
     * Frames must be a built-in layout's size. Sessions are all 0.
     */
    public static SignDataset loadMpData(Path root) {
        Checks.notNull(root, "root");
        Path labelsFile = root.resolve("labels.txt");
        MpDataset mp =
                Files.isRegularFile(labelsFile) ? MpDataset.read(root, readLabels(labelsFile)) : MpDataset.read(root);
        return new SignDataset(
                FeatureLayout.ofSize(mp.featureSize()),
                mp.sequenceLength(),
                mp.windows(),
                mp.labelIndices(),
                null,
                mp.labels());
    }

    /**
     * labels.txt holds a label a line: a line break inside one would shift every later label (a quoted CSV field
     * "zebra\nworld" was read back as two labels), and a repeated label would make two classes of one sign.
     */
    private static void checkLabels(List<String> labels) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String l = Checks.notNull(labels.get(i), "label " + i);
            if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
                throw new InvalidInputException(
                        "label " + i + " '" + l.replace("\r", "\\r").replace("\n", "\\n")
                                + "' holds a line break; labels.txt keeps one label a line");
            }
            if (!seen.add(l)) {
                throw new InvalidInputException("label '" + l + "' appears twice in the labels");
            }
        }
    }

    /**
     * Writes this dataset as {@link #load(Path)} reads it: {@code X.npy} (float32 [N, T, F]), {@code y.npy} (int32
     * [N]), {@code labels.txt}, unless every session is 0 (which is what a missing file means) {@code session.npy}
     * (int32 [N]), and when the frame rate is known {@code frame_rate.txt}. The files are written into a hidden sibling folder that is then renamed to
     * {@code dir}, so {@code dir} either appears complete or not at all.
     *
     * @throws InvalidInputException when {@code dir} exists and is not an empty folder
     * @throws UncheckedIOException  when writing fails (nothing is left behind)
     */
    public void save(Path dir) {
        checkSaveTarget(dir);
        Path target = dir.toAbsolutePath().normalize();
        Path partial = null;
        try {
            Files.createDirectories(target.getParent());
            partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
            Npy.write(partial.resolve("X.npy"), NpyArray.ofFloats(x, size(), sequenceLength, layout.size()));
            Npy.write(partial.resolve("y.npy"), NpyArray.ofInts(y, size()));
            if (Arrays.stream(session).anyMatch(v -> v != 0)) {
                Npy.write(partial.resolve("session.npy"), NpyArray.ofInts(session, size()));
            }
            Files.write(partial.resolve("labels.txt"), labels, StandardCharsets.UTF_8);
            if (frameRate > 0) {
                Files.writeString(
                        partial.resolve(FRAME_RATE_FILE),
                        SignModelMetadata.formatFrameRate(frameRate) + "\n",
                        StandardCharsets.UTF_8);
            }
            if (Files.exists(target)) {
                Files.delete(target); // empty, checked above
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset folder " + dir + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                deleteQuietly(partial);
            }
        }
    }

    /**
     * Checks, before any work, that {@link #save(Path)} may write {@code dir}: it must not exist or be an empty
     * folder.
     *
     * @throws InvalidInputException when it is a file or a folder that holds anything
     */
    public static void checkSaveTarget(Path dir) {
        Checks.notNull(dir, "dir");
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new InvalidInputException("dataset folder " + dir + " already exists and is not an empty folder;"
                    + " choose a new one (nothing was written)");
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: the partial folder is hidden and named as such
        }
    }

    public FeatureLayout layout() {
        return layout;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    /** Floats in one window. */
    public int windowSize() {
        return sequenceLength * layout.size();
    }

    public int size() {
        return y.length;
    }

    public List<String> labels() {
        return labels;
    }

    public int label(int i) {
        return y[i];
    }

    public int session(int i) {
        return session[i];
    }

    /** All class indices (a copy). */
    public int[] labelsArray() {
        return y.clone();
    }

    /** Copies window {@code i} into {@code dst[offset ..]}. */
    public void copyWindow(int i, float[] dst, int offset) {
        System.arraycopy(x, i * windowSize(), dst, offset, windowSize());
    }

    /** All windows, flat (a copy). */
    public float[] windows() {
        return x.clone();
    }

    /** The windows at {@code indices}, in that order, with their labels and sessions. */
    public SignDataset subset(int[] indices) {
        int w = windowSize();
        float[] nx = new float[indices.length * w];
        int[] ny = new int[indices.length];
        int[] ns = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(x, indices[k] * w, nx, k * w, w);
            ny[k] = y[indices[k]];
            ns[k] = session[indices[k]];
        }
        return new SignDataset(layout, sequenceLength, nx, ny, ns, labels).withFrameRate(frameRate);
    }

    /**
     * The windows of every label but {@code excluded}, with those labels gone from the label list (indices renumbered
     * in the remaining labels' order).
     *
     * @throws InvalidInputException naming a label the data does not have
     */
    public SignDataset withoutLabels(java.util.Collection<String> excluded) {
        Checks.notNull(excluded, "excluded");
        for (String l : excluded) {
            if (!labels.contains(l)) {
                throw new InvalidInputException("label '" + l + "' is not in the data's labels " + labels);
            }
        }
        List<String> kept = labels.stream().filter(l -> !excluded.contains(l)).toList();
        int[] map = new int[labels.size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = kept.indexOf(labels.get(c));
        }
        int[] idx = java.util.stream.IntStream.range(0, size())
                .filter(i -> map[y[i]] >= 0)
                .toArray();
        SignDataset sub = subset(idx);
        int[] ny = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            ny[k] = map[y[idx[k]]];
        }
        return new SignDataset(layout, sequenceLength, sub.x, ny, sub.session, kept).withFrameRate(frameRate);
    }

    /** {@code label} when the data has it, else "" (no no-sign label): how a requested no-sign label is applied. */
    public String labelIfPresent(String label) {
        return labels.contains(Checks.notNull(label, "label")) ? label : "";
    }

    /** Indices of the windows whose session is (or, with {@code equal} false, is not) {@code s}. */
    public int[] indicesOfSession(int s, boolean equal) {
        return java.util.stream.IntStream.range(0, size())
                .filter(i -> (session[i] == s) == equal)
                .toArray();
    }

    /** The same windows converted to {@code target} (columns the data lacks become 0). */
    public SignDataset convertTo(FeatureLayout target) {
        if (target.equals(layout)) {
            return this;
        }
        float[] nx = layout.conversionTo(target).convertAll(x, size() * sequenceLength);
        return new SignDataset(target, sequenceLength, nx, y, session, labels).withFrameRate(frameRate);
    }

    /** The same windows with a different window layout that has the same size (e.g. a custom spec). */
    public SignDataset withLayout(FeatureLayout other) {
        if (other.size() != layout.size()) {
            throw new InvalidInputException(
                    "layout " + other + " has " + other.size() + " features, data has " + layout.size());
        }
        return new SignDataset(other, sequenceLength, x, y, session, labels).withFrameRate(frameRate);
    }

    /** Number of windows of each class. */
    public int[] classCounts() {
        int[] c = new int[labels.size()];
        for (int v : y) {
            c[v]++;
        }
        return c;
    }

    /** Whether column {@code c} is non-zero in any frame (a dataset without face points has all-zero face columns). */
    public boolean columnUsed(int c) {
        int f = layout.size();
        for (int i = c; i < x.length; i += f) {
            if (x[i] != 0f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SignDataset[" + size() + " windows x " + sequenceLength + " frames x " + layout.size() + " ("
                + layout.name() + ")" + (frameRate > 0 ? " at " + frameRate + " frames/s" : "") + ", " + labels.size()
                + " labels]";
    }
}
