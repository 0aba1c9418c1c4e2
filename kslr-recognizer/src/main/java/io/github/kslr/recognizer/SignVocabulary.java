package io.github.kslr.recognizer;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.SignEmbedderMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Signs taught from a few takes: for each, its label, Khmer text, gloss and the embeddings of its takes (made by one
 * {@link OnnxSignEmbedder}). Add a sign, add takes to it, remove or rename it; save to and load from a small
 * versioned file, written atomically (a temporary file renamed over the target). The vocabulary records the
 * embedder's content hash and refuses another embedder's embeddings or file.
 *
 * <p>A sign may also hold its takes' mirror images' embeddings ({@link OnnxSignEmbedder#embedMirrored}: the takes
 * as made with the other hand); a window is then compared with both prototypes and the nearer counts, so that a
 * sign taught by a right-handed signer is recognised from a left-handed one.
 *
 * <p>File format, version {@value #FORMAT_VERSION}: the magic bytes {@code KSLRVOCB}, the format version (int), the
 * embedder's SHA-256 (UTF), the embedding size (int), the sign count (int), per sign its label, Khmer text and gloss
 * (UTF), take count (int), takes (floats), mirror-image count (int: 0 or the take count) and mirror images (floats),
 * then a CRC-32 of everything before it (long); big-endian ({@link DataOutputStream}). Version 1 files (no mirror
 * images) are read too.
 *
 * <p><b>Thread-safety.</b> Thread-safe: every method is atomic with respect to the others (two enrolments into one
 * vocabulary both land); {@link #signs()} returns an immutable snapshot.
 */
public final class SignVocabulary {

    /** The version of the file format this class writes (and the newest it reads). */
    public static final int FORMAT_VERSION = 2;
    /** Takes a sign needs at least: one take leaves nothing to tell a take's spread from the sign's. */
    public static final int MIN_TAKES = 2;

    private static final byte[] MAGIC = "KSLRVOCB".getBytes(StandardCharsets.US_ASCII);
    private static final float[][] NONE = new float[0][];

    /** One taught sign. Immutable: the takes are copied in and out. */
    public static final class Sign {
        private final String label;
        private final String khmer;
        private final String gloss;
        private final float[][] takes;
        /** The takes' mirror images' embeddings, one a take, or none. */
        private final float[][] mirrored;
        /** Computed once: classifying compares every window with every sign's prototypes. */
        private final List<float[]> prototypes;

        Sign(String label, String khmer, String gloss, float[][] takes, float[][] mirrored) {
            this.label = label;
            this.khmer = khmer;
            this.gloss = gloss;
            this.takes = takes;
            this.mirrored = mirrored;
            this.prototypes = mirrored.length == 0
                    ? List.of(meanDirection(takes))
                    : List.of(meanDirection(takes), meanDirection(mirrored));
        }

        public String label() {
            return label;
        }

        public String khmer() {
            return khmer;
        }

        public String gloss() {
            return gloss;
        }

        public int takeCount() {
            return takes.length;
        }

        /** A copy of take {@code i}'s embedding. */
        public float[] take(int i) {
            return takes[i].clone();
        }

        /** Whether the sign also holds its takes' mirror images ({@link #mirroredPrototype}). */
        public boolean hasMirroredTakes() {
            return mirrored.length > 0;
        }

        /** A copy of the embedding of take {@code i}'s mirror image; only with {@link #hasMirroredTakes}. */
        public float[] mirroredTake(int i) {
            if (!hasMirroredTakes()) {
                throw new InvalidInputException("sign '" + label + "' was taught without its takes' mirror images");
            }
            return mirrored[i].clone();
        }

        /** The takes' mean, L2-normalised: what windows are compared with (a copy). */
        public float[] prototype() {
            return prototypes.get(0).clone();
        }

        /** The mean of the takes' mirror images, L2-normalised (a copy); empty without them. */
        public java.util.Optional<float[]> mirroredPrototype() {
            return hasMirroredTakes() ? java.util.Optional.of(prototypes.get(1).clone()) : java.util.Optional.empty();
        }

        /** The prototypes themselves (the takes', then the mirror images'), for this package's classifier. */
        List<float[]> prototypeViews() {
            return prototypes;
        }

        private static float[] meanDirection(float[][] takes) {
            float[] p = new float[takes[0].length];
            for (float[] t : takes) {
                for (int i = 0; i < p.length; i++) {
                    p[i] += t[i];
                }
            }
            double n = 0;
            for (float v : p) {
                n += v * v;
            }
            float inv = (float) (1 / Math.sqrt(n + 1e-12));
            for (int i = 0; i < p.length; i++) {
                p[i] *= inv;
            }
            return p;
        }

        /** This sign with more takes; their mirror images are kept only where the sign holds its takes'. */
        Sign withTakes(float[][] more, float[][] moreMirrored) {
            if (hasMirroredTakes() && moreMirrored.length == 0) {
                throw new InvalidInputException("sign '" + label + "' holds its takes' mirror images; add the new"
                        + " takes with theirs (OnnxSignEmbedder.embedMirrored)");
            }
            return new Sign(
                    label,
                    khmer,
                    gloss,
                    concat(takes, more),
                    hasMirroredTakes() ? concat(mirrored, moreMirrored) : NONE);
        }

        private static float[][] concat(float[][] a, float[][] b) {
            float[][] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }

        Sign renamed(String newLabel) {
            return new Sign(newLabel, khmer, gloss, takes, mirrored);
        }
    }

    private final String embedderSha256;
    private final int embeddingSize;
    private final Map<String, Sign> signs = new LinkedHashMap<>();

    private SignVocabulary(String embedderSha256, int embeddingSize) {
        this.embedderSha256 = embedderSha256;
        this.embeddingSize = embeddingSize;
    }

    /** An empty vocabulary for {@code embedder}'s embeddings. */
    public static SignVocabulary create(SignEmbedderMetadata embedder) {
        Checks.notNull(embedder, "embedder");
        return new SignVocabulary(embedder.contentSha256(), embedder.embeddingSize());
    }

    public String embedderSha256() {
        return embedderSha256;
    }

    public int embeddingSize() {
        return embeddingSize;
    }

    /** The signs, in the order they were taught. */
    public synchronized List<Sign> signs() {
        return List.copyOf(signs.values());
    }

    /**
     * Teaches a new sign.
     *
     * @param takes {@code count * embeddingSize()} floats, one embedding a take (from this vocabulary's embedder)
     * @throws InvalidInputException for a blank or taken label, fewer than {@value #MIN_TAKES} takes, wrong sizes or
     *     values that are not finite
     */
    public synchronized void add(String label, String khmer, String gloss, float[] takes, int count) {
        add(label, khmer, gloss, takes, null, count);
    }

    /**
     * Teaches a new sign with its takes' mirror images, so that it is also recognised when made with the other hand.
     *
     * @param takes         {@code count * embeddingSize()} floats, one embedding a take (from this vocabulary's
     *                      embedder)
     * @param mirroredTakes the same takes' mirror images' embeddings ({@link OnnxSignEmbedder#embedMirrored}), as
     *                      many floats; or null for none
     * @throws InvalidInputException for a blank or taken label, fewer than {@value #MIN_TAKES} takes, wrong sizes or
     *     values that are not finite
     */
    public synchronized void add(
            String label, String khmer, String gloss, float[] takes, float[] mirroredTakes, int count) {
        checkLabel(label);
        Checks.notNull(khmer, "khmer");
        Checks.notNull(gloss, "gloss");
        if (signs.containsKey(label)) {
            throw new InvalidInputException(
                    "the vocabulary already has a sign '" + label + "'; add takes to it or" + " remove it first");
        }
        if (count < MIN_TAKES) {
            throw new InvalidInputException(
                    "sign '" + label + "' needs at least " + MIN_TAKES + " takes, got " + count);
        }
        signs.put(
                label,
                new Sign(
                        label,
                        khmer,
                        gloss,
                        split(takes, count),
                        mirroredTakes == null ? NONE : split(mirroredTakes, count)));
    }

    /** Adds takes to a sign the vocabulary has (one taught with its takes' mirror images needs theirs too). */
    public synchronized void addTakes(String label, float[] takes, int count) {
        addTakes(label, takes, null, count);
    }

    /**
     * Adds takes and their mirror images' embeddings to a sign the vocabulary has; a sign taught without mirror
     * images (a version 1 file, say) stays without them.
     *
     * @param mirroredTakes as in {@link #add(String, String, String, float[], float[], int)}; or null for none
     */
    public synchronized void addTakes(String label, float[] takes, float[] mirroredTakes, int count) {
        Sign s = require(label);
        Checks.positive(count, "count");
        signs.put(label, s.withTakes(split(takes, count), mirroredTakes == null ? NONE : split(mirroredTakes, count)));
    }

    /** Removes a sign; false when there was none. */
    public synchronized boolean remove(String label) {
        return signs.remove(Checks.notNull(label, "label")) != null;
    }

    /** Gives a sign another label (its place in the order stays). */
    public synchronized void rename(String label, String newLabel) {
        Sign s = require(label);
        checkLabel(newLabel);
        if (signs.containsKey(newLabel) && !newLabel.equals(label)) {
            throw new InvalidInputException("the vocabulary already has a sign '" + newLabel + "'");
        }
        Map<String, Sign> copy = new LinkedHashMap<>(signs);
        signs.clear();
        for (Map.Entry<String, Sign> e : copy.entrySet()) {
            signs.put(
                    e.getKey().equals(label) ? newLabel : e.getKey(),
                    e.getKey().equals(label) ? s.renamed(newLabel) : e.getValue());
        }
    }

    private Sign require(String label) {
        Sign s = signs.get(Checks.notNull(label, "label"));
        if (s == null) {
            throw new InvalidInputException("the vocabulary has no sign '" + label + "'; it has " + signs.keySet());
        }
        return s;
    }

    private static void checkLabel(String label) {
        Checks.notNull(label, "label");
        if (label.isBlank() || label.contains("\n")) {
            throw new InvalidInputException("a sign's label must be non-blank and on one line, was '" + label + "'");
        }
    }

    private float[][] split(float[] takes, int count) {
        Checks.notNull(takes, "takes");
        if ((long) count * embeddingSize != takes.length) {
            throw new InvalidInputException(count + " takes of " + embeddingSize + " floats need "
                    + (long) count * embeddingSize + " floats, got " + takes.length);
        }
        Checks.finite(takes, 0, takes.length, "takes");
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = Arrays.copyOfRange(takes, i * embeddingSize, (i + 1) * embeddingSize);
        }
        return out;
    }

    /**
     * Applies {@code change} to this vocabulary and saves it to {@code file}, as one step for everyone who uses this
     * object: when the change or the save fails, the vocabulary is as it was (every sign, takes and order) and the
     * exception is thrown on; other threads wait for the step to end. For a vocabulary in use, such as a server's that
     * its classifier recognises with while signs are taught; {@link #update} is for a file alone.
     *
     * @return what {@code change} returned
     * @throws KslrException as {@link #save} does, the vocabulary unchanged
     */
    public synchronized <T> T applyAndSave(Path file, Change<T> change) {
        Checks.notNull(file, "file");
        Checks.notNull(change, "change");
        // Signs are immutable: a copy of the map is a complete snapshot.
        Map<String, Sign> before = new LinkedHashMap<>(signs);
        try {
            T result = change.apply(this);
            save(file);
            return result;
        } catch (RuntimeException e) {
            signs.clear();
            signs.putAll(before);
            throw e;
        }
    }

    /** A change to a vocabulary, made by {@link #update} or {@link #applyAndSave}. */
    @FunctionalInterface
    public interface Change<T> {
        T apply(SignVocabulary vocabulary);
    }

    /** Threads of this JVM updating a file wait here first: a file lock is held per JVM, not per thread. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock>
            UPDATING = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Loads the vocabulary at {@code file} (a new empty one when the file does not exist), applies {@code change}
     * and saves it, with the file locked against other updates the whole time, by threads of this JVM and by other
     * processes ({@code FILE.lock} beside it), so that two enrolments at once both land: each sees the other's
     * result. Nothing is saved when {@code change} throws.
     *
     * @return what {@code change} returned
     * @throws ModelLoadException as {@link #load} does
     */
    public static <T> T update(Path file, SignEmbedderMetadata embedder, Change<T> change) {
        Checks.notNull(file, "file");
        Checks.notNull(embedder, "embedder");
        Checks.notNull(change, "change");
        Path abs = file.toAbsolutePath().normalize();
        java.util.concurrent.locks.ReentrantLock local =
                UPDATING.computeIfAbsent(abs, k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                        lockFile, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = ch.lock()) {
            SignVocabulary v = Files.exists(abs) ? load(abs, embedder) : create(embedder);
            T result = change.apply(v);
            v.save(abs);
            return result;
        } catch (IOException e) {
            throw new KslrException("cannot lock vocabulary " + abs + " (" + lockFile.getFileName() + "): " + e, e);
        } finally {
            local.unlock();
        }
    }

    /** Writes the vocabulary to {@code file}, complete or not at all. */
    public void save(Path file) {
        Checks.notNull(file, "file");
        byte[] bytes = toBytes();
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new KslrException("cannot write vocabulary " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private synchronized byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(embedderSha256);
            out.writeInt(embeddingSize);
            out.writeInt(signs.size());
            for (Sign s : signs.values()) {
                out.writeUTF(s.label);
                out.writeUTF(s.khmer);
                out.writeUTF(s.gloss);
                writeTakes(out, s.takes);
                writeTakes(out, s.mirrored);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeTakes(DataOutputStream out, float[][] takes) throws IOException {
        out.writeInt(takes.length);
        for (float[] t : takes) {
            for (float v : t) {
                out.writeFloat(v);
            }
        }
    }

    /**
     * Reads a vocabulary written by {@link #save} for {@code embedder}.
     *
     * @throws ModelLoadException naming the file and the problem: missing, not a vocabulary, written by a newer
     *     version, made with another embedder, truncated or corrupt (a checksum mismatch, or, behind a good
     *     checksum, a blank or repeated label or a value that is not finite)
     */
    public static SignVocabulary load(Path file, SignEmbedderMetadata embedder) {
        Checks.notNull(file, "file");
        Checks.notNull(embedder, "embedder");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read vocabulary " + file.toAbsolutePath() + ": " + e, e);
        }
        String name = "vocabulary " + file.toAbsolutePath();
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelLoadException(name + " is not a KSLR sign vocabulary (it does not start with KSLRVOCB)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version > FORMAT_VERSION || version < 1) {
                throw new ModelLoadException(name + " has format version " + version + "; this KSLR reads version "
                        + FORMAT_VERSION + (version > FORMAT_VERSION ? " (it was written by a newer KSLR)" : ""));
            }
            if (bytes.length < MAGIC.length + 4 + 8) {
                throw new EOFException();
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw new ModelLoadException(name + " is truncated or corrupt (its checksum does not match)");
            }
            String sha = in.readUTF();
            int size = in.readInt();
            if (!sha.equals(embedder.contentSha256()) || size != embedder.embeddingSize()) {
                throw new ModelLoadException(name + " was made with another sign embedder (content SHA-256 " + sha
                        + ", " + size + " floats an embedding); this embedder is " + embedder.contentSha256() + " ("
                        + embedder.embeddingSize() + "). Enrol the signs again with this embedder");
            }
            SignVocabulary v = new SignVocabulary(sha, size);
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String label = in.readUTF();
                String khmer = in.readUTF();
                String gloss = in.readUTF();
                int takes = in.readInt();
                // Bounded by the bytes left, so a damaged count cannot ask for gigabytes.
                if (takes < 1 || (long) takes * size * 4 > in.available()) {
                    throw new ModelLoadException(name + " is corrupt: sign '" + label + "' claims " + takes + " takes");
                }
                // A checksum proves the bytes are as written, not that a writer other than save() wrote valid
                // signs: hold the file to what add() accepts, or one NaN take makes every similarity NaN.
                if (label.isBlank() || label.contains("\n") || v.signs.containsKey(label)) {
                    throw new ModelLoadException(name + " is corrupt: sign " + i + "'s label '" + label + "' is "
                            + (v.signs.containsKey(label) ? "used twice" : "blank or not on one line"));
                }
                float[][] t = readTakes(in, takes, size, name, label, "take");
                float[][] mirrored = NONE;
                if (version >= 2) {
                    int m = in.readInt();
                    if (m != 0 && m != takes || (long) m * size * 4 > in.available()) {
                        throw new ModelLoadException(name + " is corrupt: sign '" + label + "' has " + takes
                                + " takes and claims " + m + " mirror images");
                    }
                    mirrored = readTakes(in, m, size, name, label, "mirror image");
                }
                v.signs.put(label, new Sign(label, khmer, gloss, t, mirrored));
            }
            return v;
        } catch (EOFException e) {
            throw new ModelLoadException(name + " is truncated", e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + name + ": " + e, e);
        }
    }

    private static float[][] readTakes(DataInputStream in, int count, int size, String name, String label, String what)
            throws IOException {
        float[][] t = new float[count][size];
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < size; k++) {
                float x = in.readFloat();
                if (!Float.isFinite(x)) {
                    throw new ModelLoadException(name + " is corrupt: " + what + " " + j + " of sign '" + label
                            + "' holds " + x + " at " + k);
                }
                t[j][k] = x;
            }
        }
        return t;
    }
}
