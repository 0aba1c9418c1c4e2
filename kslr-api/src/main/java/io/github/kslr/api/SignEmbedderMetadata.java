package io.github.kslr.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a sign embedder model carries in its ONNX {@code metadata_props} besides the {@link SignModelMetadata}
 * (whose labels are the ones the embedder was trained on, and whose layout, window length and frame rate its input
 * follows): the size of its L2-normalised embedding, the open-set rejection defaults, and a hash of its graph, which
 * enrolled vocabularies record so that they are never used with another embedder.
 *
 * <p>Open-set rejection: a window goes to no enrolled sign when its best cosine similarity to an enrolled sign is
 * below {@code threshold}, or when it is not at least {@code margin} above its best similarity to a <em>background
 * prototype</em>: unit vectors summarising the embedder's own training data (a few centres of its no-sign windows,
 * and, if its trainer chose, the mean embedding of each sign label it was trained on). An embedder without background
 * prototypes (written before they existed) rejects by the threshold alone.
 *
 * <p>Input {@code landmarks} float32 {@code [batch, T, F]} (the raw layout); output {@code embedding} float32
 * {@code [batch, embeddingSize]}, each row of unit length.
 *
 * <p><b>Thread-safety.</b> Immutable ({@link #background()} returns a copy).
 *
 * @param model         the sign-model contract (trained labels, layout, window length, frame rate)
 * @param embeddingSize floats in one embedding
 * @param threshold     default rejection threshold on cosine similarity, in [-1, 1]
 * @param contentSha256 lower-case hex SHA-256 of the serialised graph (weights included, metadata not)
 * @param background    background prototypes, {@code count * embeddingSize} floats, each row of unit length (may be
 *                      empty)
 * @param margin        default margin over the best background similarity, in [-2, 2] (unused without background)
 */
public record SignEmbedderMetadata(
        SignModelMetadata model,
        int embeddingSize,
        double threshold,
        String contentSha256,
        float[] background,
        double margin) {

    public static final String EMBEDDING_SIZE = "kslr.embedding_size";
    public static final String THRESHOLD = "kslr.embedder_threshold";
    public static final String CONTENT_SHA256 = "kslr.embedder_sha256";
    /** Background prototypes: base64 of {@code count * embeddingSize} little-endian float32. Optional. */
    public static final String BACKGROUND = "kslr.embedder_background";
    /** The default margin over the best background similarity. Optional (with {@link #BACKGROUND}). */
    public static final String MARGIN = "kslr.embedder_margin";
    /** The graph's input and output names. */
    public static final String INPUT = "landmarks";

    public static final String OUTPUT = "embedding";

    public SignEmbedderMetadata {
        Checks.notNull(model, "model");
        Checks.positive(embeddingSize, "embeddingSize");
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new InvalidInputException("threshold must be a cosine similarity in [-1, 1], was " + threshold);
        }
        Checks.notNull(contentSha256, "contentSha256");
        if (!contentSha256.matches("[0-9a-f]{64}")) {
            throw new InvalidInputException(
                    "contentSha256 must be 64 lower-case hex digits, was '" + contentSha256 + "'");
        }
        Checks.notNull(background, "background");
        if (background.length % embeddingSize != 0) {
            throw new InvalidInputException("background must hold whole prototypes of " + embeddingSize
                    + " floats, had " + background.length + " floats");
        }
        Checks.finite(background, 0, background.length, "background");
        if (!(margin >= -2 && margin <= 2)) {
            throw new InvalidInputException("margin must be in [-2, 2] (a difference of cosines), was " + margin);
        }
        background = background.clone();
    }

    /** An embedder without background prototypes: rejection by {@code threshold} alone. */
    public SignEmbedderMetadata(SignModelMetadata model, int embeddingSize, double threshold, String contentSha256) {
        this(model, embeddingSize, threshold, contentSha256, new float[0], 0);
    }

    /** The background prototypes ({@code backgroundCount() * embeddingSize} floats; a copy). */
    @Override
    public float[] background() {
        return background.clone();
    }

    /** How many background prototypes there are (0: rejection by the threshold alone). */
    public int backgroundCount() {
        return background.length / embeddingSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignEmbedderMetadata m
                && model.equals(m.model)
                && embeddingSize == m.embeddingSize
                && Double.compare(threshold, m.threshold) == 0
                && contentSha256.equals(m.contentSha256)
                && Arrays.equals(background, m.background)
                && Double.compare(margin, m.margin) == 0;
    }

    @Override
    public int hashCode() {
        return ((model.hashCode() * 31 + embeddingSize) * 31 + contentSha256.hashCode()) * 31
                + Arrays.hashCode(background);
    }

    @Override
    public String toString() {
        return "SignEmbedderMetadata[model=" + model + ", embeddingSize=" + embeddingSize + ", threshold=" + threshold
                + ", contentSha256=" + contentSha256 + ", background=" + backgroundCount() + " prototypes, margin="
                + margin + "]";
    }

    /** The {@code metadata_props} entries: the sign-model contract's, then the embedder's. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>(model.toProperties());
        p.put(EMBEDDING_SIZE, Integer.toString(embeddingSize));
        p.put(THRESHOLD, String.format(Locale.ROOT, "%.6f", threshold));
        p.put(CONTENT_SHA256, contentSha256);
        if (background.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(background.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(background);
            p.put(BACKGROUND, Base64.getEncoder().encodeToString(b.array()));
            p.put(MARGIN, String.format(Locale.ROOT, "%.6f", margin));
        }
        return p;
    }

    /**
     * Reads the contract back.
     *
     * @throws ModelLoadException naming the missing or malformed key
     */
    public static SignEmbedderMetadata fromProperties(Map<String, String> props, String source) {
        SignModelMetadata model = SignModelMetadata.fromProperties(props, source);
        String size = props.get(EMBEDDING_SIZE);
        String threshold = props.get(THRESHOLD);
        String hash = props.get(CONTENT_SHA256);
        if (size == null || threshold == null || hash == null) {
            throw new ModelLoadException(source + " is not a sign embedder: its metadata lacks "
                    + (size == null ? EMBEDDING_SIZE : threshold == null ? THRESHOLD : CONTENT_SHA256));
        }
        String background = props.get(BACKGROUND);
        String margin = props.get(MARGIN);
        if ((background == null) != (margin == null)) {
            throw new ModelLoadException(source + ": malformed embedder metadata: " + BACKGROUND + " and " + MARGIN
                    + " come together, found only " + (background == null ? MARGIN : BACKGROUND));
        }
        try {
            float[] bg = new float[0];
            if (background != null) {
                byte[] bytes = Base64.getDecoder().decode(background.trim());
                if (bytes.length % 4 != 0) {
                    throw new InvalidInputException(BACKGROUND + " is not whole float32 values");
                }
                bg = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(bg);
            }
            return new SignEmbedderMetadata(
                    model,
                    Integer.parseInt(size.trim()),
                    Double.parseDouble(threshold.trim()),
                    hash.trim(),
                    bg,
                    margin == null ? 0 : Double.parseDouble(margin.trim()));
        } catch (IllegalArgumentException | InvalidInputException e) { // NumberFormatException, base64 errors
            throw new ModelLoadException(source + ": malformed embedder metadata: " + e.getMessage(), e);
        }
    }
}
