package io.github.kslr.data;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.data.NpyArray.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Landmark sequences in the folder layout of the reports' authors (and of the MediaPipe action-recognition tutorial
 * they built on): {@code MP_Data/<sign>/<sequence>/<frame>.npy}, one {@code .npy} file of one frame's features
 * each, sequences and frames named by integers from 0.
 *
 * <p>In memory a dataset is {@code count} windows of {@code sequenceLength x featureSize} float32 values laid end to
 * end (what {@link io.github.kslr.api.SignClassifier#classifyBatch} takes), a label index and the original sequence
 * number a window.
 *
 * <p><b>Thread-safety.</b> Immutable: arrays are copied in and out.
 */
public final class MpDataset {
    private final List<String> labels;
    private final int sequenceLength;
    private final int featureSize;
    private final float[] windows;
    private final int[] labelIndex;
    private final int[] sequence;

    private MpDataset(
            List<String> labels,
            int sequenceLength,
            int featureSize,
            float[] windows,
            int[] labelIndex,
            int[] sequence) {
        this.labels = List.copyOf(labels);
        this.sequenceLength = sequenceLength;
        this.featureSize = featureSize;
        this.windows = windows;
        this.labelIndex = labelIndex;
        this.sequence = sequence;
    }

    /**
     * A dataset from arrays (copied).
     *
     * @param windows    {@code count * sequenceLength * featureSize} finite values
     * @param labelIndex one index into {@code labels} a window
     * @param sequence   the sequence number of each window (its folder name when written)
     */
    public static MpDataset of(
            List<String> labels,
            int sequenceLength,
            int featureSize,
            float[] windows,
            int[] labelIndex,
            int[] sequence) {
        Checks.notNull(labels, "labels");
        Checks.positive(sequenceLength, "sequenceLength");
        Checks.positive(featureSize, "featureSize");
        Checks.notNull(windows, "windows");
        Checks.notNull(labelIndex, "labelIndex");
        Checks.notNull(sequence, "sequence");
        int count = labelIndex.length;
        if (sequence.length != count || (long) count * sequenceLength * featureSize != windows.length) {
            throw new InvalidInputException(count + " label indices, " + sequence.length + " sequence numbers and "
                    + windows.length + " values do not describe the same windows of " + sequenceLength + " x "
                    + featureSize);
        }
        for (String l : labels) {
            checkLabel(l);
        }
        for (int i = 0; i < count; i++) {
            if (labelIndex[i] < 0 || labelIndex[i] >= labels.size()) {
                throw new InvalidInputException(
                        "labelIndex[" + i + "] is " + labelIndex[i] + ", expected 0.." + (labels.size() - 1));
            }
            Checks.nonNegative(sequence[i], "sequence[" + i + "]");
        }
        Checks.finite(windows, 0, windows.length, "windows");
        return new MpDataset(
                labels, sequenceLength, featureSize, windows.clone(), labelIndex.clone(), sequence.clone());
    }

    private static void checkLabel(String l) {
        Checks.notNull(l, "label");
        if (l.isEmpty() || l.contains("/") || l.contains("\\") || l.equals(".") || l.equals("..")) {
            throw new InvalidInputException("label '" + l + "' cannot be a folder name");
        }
    }

    /** Reads {@code root}, taking every sign folder, in name order, as a label. */
    public static MpDataset read(Path root) {
        Checks.notNull(root, "root");
        List<String> labels = new ArrayList<>();
        for (Path p : list(root)) {
            if (Files.isDirectory(p)) {
                labels.add(p.getFileName().toString());
            }
        }
        Collections.sort(labels);
        if (labels.isEmpty()) {
            throw new InvalidInputException(
                    root + " holds no sign folders (expected <root>/<sign>/<sequence>/" + "<frame>.npy)");
        }
        return read(root, labels);
    }

    /**
     * Reads the signs {@code labels} from {@code root}, label indices in that order (the tutorial's
     * {@code actions} array). Frames of any supported dtype are converted to float32.
     *
     * @throws InvalidInputException naming the file or folder that is missing, misnamed or has another shape
     */
    public static MpDataset read(Path root, List<String> labels) {
        Checks.notNull(root, "root");
        Checks.notNull(labels, "labels");
        int length = -1;
        int features = -1;
        List<float[]> frames = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        // Check every sign folder before reading any frame, so a typo in a label fails fast.
        for (String label : labels) {
            checkLabel(label);
            if (!Files.isDirectory(root.resolve(label))) {
                throw new InvalidInputException("sign folder " + root.resolve(label) + " does not exist");
            }
        }
        for (int li = 0; li < labels.size(); li++) {
            Path signDir = root.resolve(labels.get(li));
            for (var seq : numbered(signDir, true).entrySet()) {
                Path seqDir = seq.getValue();
                TreeMap<Integer, Path> frameFiles = numbered(seqDir, false);
                int n = frameFiles.size();
                if (n == 0 || frameFiles.lastKey() != n - 1) {
                    throw new InvalidInputException(
                            seqDir + " must hold frames 0.npy .. " + (n - 1) + ".npy, has " + frameFiles.keySet());
                }
                if (length < 0) {
                    length = n;
                } else if (n != length) {
                    throw new InvalidInputException(seqDir + " has " + n + " frames, earlier sequences have " + length);
                }
                float[] window = null;
                for (var f : frameFiles.entrySet()) {
                    float[] frame = Npy.read(f.getValue()).toFloatArray();
                    if (features < 0) {
                        features = frame.length;
                    } else if (frame.length != features) {
                        throw new InvalidInputException(
                                f.getValue() + " holds " + frame.length + " values, earlier frames hold " + features);
                    }
                    if (window == null) {
                        window = new float[length * features];
                    }
                    System.arraycopy(frame, 0, window, f.getKey() * features, features);
                }
                frames.add(window);
                index.add(li);
                seqs.add(seq.getKey());
            }
        }
        if (frames.isEmpty()) {
            throw new InvalidInputException(root + " holds no sequences for " + labels);
        }
        float[] all = new float[frames.size() * length * features];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, all, i * length * features, length * features);
        }
        int[] li = index.stream().mapToInt(Integer::intValue).toArray();
        int[] sq = seqs.stream().mapToInt(Integer::intValue).toArray();
        return of(labels, length, features, all, li, sq);
    }

    /** Sub-folders (or .npy files) named by non-negative integers, by number; anything else is an error. */
    private static TreeMap<Integer, Path> numbered(Path dir, boolean folders) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (folders != Files.isDirectory(p)) {
                continue; // stray files between sequence folders, or folders between frames: not part of the data
            }
            String stem = folders ? name : name.endsWith(".npy") ? name.substring(0, name.length() - 4) : null;
            if (stem == null) {
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(stem);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(
                        p + ": expected a " + (folders ? "sequence folder" : "frame file") + " named by a number", e);
            }
            if (n < 0 || out.put(n, p) != null) {
                throw new InvalidInputException(p + ": number " + n + " is negative or used twice");
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new KslrException("cannot list " + dir.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Writes the dataset as {@code root/<label>/<sequence>/<frame>.npy}, frames as 1-D arrays of {@code frameType}
     * ({@link DType#FLOAT64} is what the tutorial's {@code np.save} of concatenated landmark arrays gives;
     * {@link DType#FLOAT32} halves the size).
     */
    public void write(Path root, DType frameType) {
        Checks.notNull(root, "root");
        Checks.notNull(frameType, "frameType");
        if (frameType != DType.FLOAT32 && frameType != DType.FLOAT64) {
            throw new InvalidInputException("frames are written as FLOAT32 or FLOAT64, not " + frameType);
        }
        int window = sequenceLength * featureSize;
        for (int i = 0; i < count(); i++) {
            Path seqDir = root.resolve(labels.get(labelIndex[i])).resolve(Integer.toString(sequence[i]));
            for (int t = 0; t < sequenceLength; t++) {
                float[] frame =
                        Arrays.copyOfRange(windows, i * window + t * featureSize, i * window + (t + 1) * featureSize);
                NpyArray a;
                if (frameType == DType.FLOAT32) {
                    a = NpyArray.ofFloats(frame, featureSize);
                } else {
                    double[] d = new double[featureSize];
                    for (int k = 0; k < featureSize; k++) {
                        d[k] = frame[k];
                    }
                    a = NpyArray.ofDoubles(d, featureSize);
                }
                Npy.write(seqDir.resolve(t + ".npy"), a);
            }
        }
    }

    /** The sign names, label index order. */
    public List<String> labels() {
        return labels;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    public int featureSize() {
        return featureSize;
    }

    /** Windows (sequences). */
    public int count() {
        return labelIndex.length;
    }

    /** All windows end to end, {@code count * sequenceLength * featureSize} values (a copy). */
    public float[] windows() {
        return windows.clone();
    }

    /** Copies window {@code i} into {@code dst} at {@code offset}. */
    public void copyWindow(int i, float[] dst, int offset) {
        Checks.range(count(), i, 1, "window index");
        int w = sequenceLength * featureSize;
        Checks.notNull(dst, "dst");
        Checks.range(dst.length, offset, w, "dst");
        System.arraycopy(windows, i * w, dst, offset, w);
    }

    /** The label index of each window (a copy). */
    public int[] labelIndices() {
        return labelIndex.clone();
    }

    /** The sequence number of each window (a copy). */
    public int[] sequences() {
        return sequence.clone();
    }

    /** The windows as one float32 array {@code [count, sequenceLength, featureSize]} (as {@code X.npy}). */
    public NpyArray windowsArray() {
        return NpyArray.ofFloats(windows, count(), sequenceLength, featureSize);
    }

    /** The label indices as int32 {@code [count]} (as {@code y.npy}). */
    public NpyArray labelArray() {
        return NpyArray.ofInts(labelIndex, count());
    }

    @Override
    public String toString() {
        return "MpDataset[" + count() + " sequences of " + sequenceLength + " x " + featureSize + ", labels " + labels
                + "]";
    }
}
