package io.github.kslr.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a sign embedder model carries in its ONNX {@code metadata_props} besides the {@link SignModelMetadata}
 * (whose labels are the ones the embedder was trained on, and whose layout, window length and frame rate its input
 * follows): the size of its L2-normalised embedding, the cosine similarity below which a window counts as no
 * enrolled sign (calibrated on its training labels), and a hash of its graph, which enrolled vocabularies record so
 * that they are never used with another embedder.
 *
 * <p>Input {@code landmarks} float32 {@code [batch, T, F]} (the raw layout); output {@code embedding} float32
 * {@code [batch, embeddingSize]}, each row of unit length.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param model         the sign-model contract (trained labels, layout, window length, frame rate)
 * @param embeddingSize floats in one embedding
 * @param threshold     default rejection threshold on cosine similarity, in [-1, 1]
 * @param contentSha256 lower-case hex SHA-256 of the serialised graph (weights included, metadata not)
 */
public record SignEmbedderMetadata(SignModelMetadata model, int embeddingSize, double threshold,
        String contentSha256) {

    public static final String EMBEDDING_SIZE = "kslr.embedding_size";
    public static final String THRESHOLD = "kslr.embedder_threshold";
    public static final String CONTENT_SHA256 = "kslr.embedder_sha256";
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
            throw new InvalidInputException("contentSha256 must be 64 lower-case hex digits, was '" + contentSha256
                    + "'");
        }
    }

    /** The {@code metadata_props} entries: the sign-model contract's, then the embedder's. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>(model.toProperties());
        p.put(EMBEDDING_SIZE, Integer.toString(embeddingSize));
        p.put(THRESHOLD, String.format(Locale.ROOT, "%.6f", threshold));
        p.put(CONTENT_SHA256, contentSha256);
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
        try {
            return new SignEmbedderMetadata(model, Integer.parseInt(size.trim()), Double.parseDouble(threshold.trim()),
                    hash.trim());
        } catch (NumberFormatException | InvalidInputException e) {
            throw new ModelLoadException(source + ": malformed embedder metadata: " + e.getMessage(), e);
        }
    }
}
