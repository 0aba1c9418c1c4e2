package io.github.kslr.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract between the trainer and the classifier: what a sign model carries in its ONNX {@code metadata_props}.
 *
 * <p>Keys (all strings; list values are one entry a line, {@code \n}-separated, in output order):
 * <ul>
 *   <li>{@value #FORMAT_VERSION} — {@value #CURRENT_FORMAT_VERSION} for this contract;</li>
 *   <li>{@value #LABELS} — class names;</li>
 *   <li>{@value #GLOSSES} — English glosses, one a label;</li>
 *   <li>{@value #KHMER} — Khmer text, one a label (a line may be empty);</li>
 *   <li>{@value #FEATURE_LAYOUT} — the input's {@link FeatureLayout#spec() layout spec};</li>
 *   <li>{@value #SEQUENCE_LENGTH} — frames in a window;</li>
 *   <li>{@value #NO_SIGN_LABEL} — optional: the label meaning "no sign" (e.g. {@code -});</li>
 *   <li>{@value #NORMALIZATION} — optional, informative: what the graph does to its raw input;</li>
 *   <li>{@value #FRAME_RATE} — optional: frames a second of the training windows (e.g. {@code 30}), which a
 *       recognizer resamples live frames to; absent when the windows were cut at each recording's own rate.</li>
 * </ul>
 * The model's input is {@code [batch, sequenceLength, layout.size()]} float32 raw landmark values; its output is
 * {@code [batch, labels]} probabilities. Normalisation happens inside the graph, so a model carries everything needed
 * to use it.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public record SignModelMetadata(
        int formatVersion,
        List<SignLabel> labels,
        FeatureLayout layout,
        int sequenceLength,
        String noSignLabel,
        String normalization,
        double frameRate) {

    public static final String FORMAT_VERSION = "kslr.format_version";
    public static final String LABELS = "kslr.labels";
    public static final String GLOSSES = "kslr.glosses";
    public static final String KHMER = "kslr.khmer";
    public static final String FEATURE_LAYOUT = "kslr.feature_layout";
    public static final String SEQUENCE_LENGTH = "kslr.sequence_length";
    public static final String NO_SIGN_LABEL = "kslr.no_sign_label";
    public static final String NORMALIZATION = "kslr.normalization";
    public static final String FRAME_RATE = "kslr.frame_rate";
    /** The highest {@link #frameRate()} accepted (samples are then a millisecond apart). */
    public static final double MAX_FRAME_RATE = 1000;
    /** The version this class reads and writes. */
    public static final int CURRENT_FORMAT_VERSION = 1;
    /**
     * The most floats a window may hold ({@code sequenceLength * layout.size()}: 2^24, 64 MB; e.g. 10,000 frames of
     * {@code holistic-1662}). Every classifier and recognizer allocates windows of this size, so a model's metadata
     * is not trusted with more (a damaged {@code kslr.sequence_length} once wrapped the window size past
     * {@code int}).
     */
    public static final int MAX_WINDOW_FLOATS = 1 << 24;

    public SignModelMetadata {
        Checks.notNull(labels, "labels");
        Checks.notNull(layout, "layout");
        Checks.positive(sequenceLength, "sequenceLength");
        Checks.notNull(noSignLabel, "noSignLabel (use \"\" for none)");
        Checks.notNull(normalization, "normalization (use \"\" for none)");
        checkFrameRate(frameRate, "frameRate");
        if ((long) sequenceLength * layout.size() > MAX_WINDOW_FLOATS) {
            throw new InvalidInputException("sequenceLength " + sequenceLength + " x " + layout.size()
                    + " features (layout " + layout.name() + ") is " + (long) sequenceLength * layout.size()
                    + " floats a window; at most " + MAX_WINDOW_FLOATS + " are supported");
        }
        if (labels.isEmpty()) {
            throw new InvalidInputException("a sign model needs at least one label");
        }
        labels = List.copyOf(labels);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            SignLabel l = labels.get(i);
            if (!seen.add(l.label())) {
                // Two outputs with one name: a prediction could not say which sign it means.
                throw new InvalidInputException("label '" + l.label() + "' appears twice (again at index " + i + ")");
            }
            if (l.index() != i) {
                throw new InvalidInputException(
                        "label '" + l.label() + "' has index " + l.index() + " at position " + i);
            }
            for (String text : List.of(l.label(), l.gloss(), l.khmer())) {
                if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                    throw new InvalidInputException("label texts must be one line, '" + text + "' is not");
                }
            }
            if (l.label().isBlank()) {
                throw new InvalidInputException("label " + i + " is blank");
            }
        }
        if (!noSignLabel.isEmpty() && labels.stream().noneMatch(l -> l.label().equals(noSignLabel))) {
            throw new InvalidInputException("noSignLabel '" + noSignLabel + "' is not one of the labels");
        }
    }

    /** Metadata with the current format version, glosses equal to labels and no Khmer text. */
    public static SignModelMetadata of(List<String> labels, FeatureLayout layout, int sequenceLength) {
        Checks.notNull(labels, "labels");
        List<SignLabel> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            String l = Checks.notNull(labels.get(i), "labels[" + i + "]");
            out.add(new SignLabel(i, l, l, ""));
        }
        return new SignModelMetadata(CURRENT_FORMAT_VERSION, out, layout, sequenceLength, "", "", 0);
    }

    /** Floats one window holds. */
    public int windowSize() {
        return sequenceLength * layout.size();
    }

    /** The label strings in output order. */
    public List<String> labelNames() {
        List<String> out = new ArrayList<>(labels.size());
        for (SignLabel l : labels) {
            out.add(l.label());
        }
        return Collections.unmodifiableList(out);
    }

    /** The same metadata with other Khmer texts and glosses, e.g. to give an ASL-trained model Khmer output. */
    public SignModelMetadata withTranslations(Map<String, String> glossByLabel, Map<String, String> khmerByLabel) {
        Checks.notNull(glossByLabel, "glossByLabel");
        Checks.notNull(khmerByLabel, "khmerByLabel");
        List<SignLabel> out = new ArrayList<>();
        for (SignLabel l : labels) {
            out.add(new SignLabel(
                    l.index(),
                    l.label(),
                    glossByLabel.getOrDefault(l.label(), l.gloss()),
                    khmerByLabel.getOrDefault(l.label(), l.khmer())));
        }
        return new SignModelMetadata(formatVersion, out, layout, sequenceLength, noSignLabel, normalization, frameRate);
    }

    /** The same metadata with a "no sign" label (must be one of the labels; "" for none). */
    public SignModelMetadata withNoSignLabel(String label) {
        return new SignModelMetadata(formatVersion, labels, layout, sequenceLength, label, normalization, frameRate);
    }

    /** The same metadata with a description of the graph's normalisation. */
    public SignModelMetadata withNormalization(String description) {
        return new SignModelMetadata(
                formatVersion, labels, layout, sequenceLength, noSignLabel, description, frameRate);
    }

    /**
     * Checks a frame rate as KSLR takes them everywhere (metadata, datasets, recognizers): 0 for none (unknown, or
     * every frame as it comes), else above 0 and at most {@link #MAX_FRAME_RATE}.
     *
     * @return {@code fps}
     * @throws InvalidInputException naming {@code name} for a negative, NaN or infinite rate or one above the limit
     */
    public static double checkFrameRate(double fps, String name) {
        if (!(fps >= 0 && fps <= MAX_FRAME_RATE)) {
            throw new InvalidInputException(
                    name + " must be 0 (none) or a rate up to " + (int) MAX_FRAME_RATE + " frames/s, was " + fps);
        }
        return fps;
    }

    /** A frame rate as metadata and dataset folders write it: the shortest exact decimal ({@code 30}, {@code 29.97}). */
    public static String formatFrameRate(double fps) {
        return java.math.BigDecimal.valueOf(fps).stripTrailingZeros().toPlainString();
    }

    /** The same metadata with the training windows' frame rate (0 = unknown). */
    public SignModelMetadata withFrameRate(double fps) {
        return new SignModelMetadata(formatVersion, labels, layout, sequenceLength, noSignLabel, normalization, fps);
    }

    /** The {@code metadata_props} entries, in a stable order. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(FORMAT_VERSION, Integer.toString(formatVersion));
        p.put(LABELS, join(labels, 0));
        p.put(GLOSSES, join(labels, 1));
        p.put(KHMER, join(labels, 2));
        p.put(FEATURE_LAYOUT, layout.spec());
        p.put(SEQUENCE_LENGTH, Integer.toString(sequenceLength));
        if (!noSignLabel.isEmpty()) {
            p.put(NO_SIGN_LABEL, noSignLabel);
        }
        if (!normalization.isEmpty()) {
            p.put(NORMALIZATION, normalization);
        }
        if (frameRate > 0) {
            p.put(FRAME_RATE, formatFrameRate(frameRate));
        }
        return p;
    }

    private static String join(List<SignLabel> labels, int field) {
        StringBuilder sb = new StringBuilder();
        for (SignLabel l : labels) {
            if (sb.length() > 0 || l.index() > 0) {
                sb.append('\n');
            }
            sb.append(field == 0 ? l.label() : field == 1 ? l.gloss() : l.khmer());
        }
        return sb.toString();
    }

    /**
     * Reads the contract back from a model's {@code metadata_props}.
     *
     * @param source names the model in messages
     * @throws ModelLoadException naming the missing or malformed key
     */
    public static SignModelMetadata fromProperties(Map<String, String> props, String source) {
        Checks.notNull(props, "props");
        String version = require(props, FORMAT_VERSION, source);
        int v;
        try {
            v = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(source + ": " + FORMAT_VERSION + " must be an integer, was '" + version + "'");
        }
        if (v != CURRENT_FORMAT_VERSION) {
            throw new ModelLoadException(source + ": sign-model format version " + v + " is not supported; this KSLR"
                    + " reads version " + CURRENT_FORMAT_VERSION);
        }
        List<String> names = split(require(props, LABELS, source));
        List<String> glosses = props.containsKey(GLOSSES) ? split(props.get(GLOSSES)) : names;
        List<String> khmer = props.containsKey(KHMER) ? split(props.get(KHMER)) : null;
        if (glosses.size() != names.size() || (khmer != null && khmer.size() != names.size())) {
            throw new ModelLoadException(source + ": " + names.size() + " labels but " + glosses.size() + " glosses"
                    + (khmer == null ? "" : " and " + khmer.size() + " Khmer texts"));
        }
        int length;
        String lengthText = require(props, SEQUENCE_LENGTH, source);
        try {
            length = Integer.parseInt(lengthText.trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(
                    source + ": " + SEQUENCE_LENGTH + " must be an integer, was '" + lengthText + "'");
        }
        try {
            FeatureLayout layout = FeatureLayout.of(require(props, FEATURE_LAYOUT, source));
            List<SignLabel> labels = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                labels.add(new SignLabel(i, names.get(i), glosses.get(i), khmer == null ? "" : khmer.get(i)));
            }
            return new SignModelMetadata(
                    v,
                    labels,
                    layout,
                    length,
                    props.getOrDefault(NO_SIGN_LABEL, ""),
                    props.getOrDefault(NORMALIZATION, ""),
                    frameRate(props, source));
        } catch (InvalidInputException e) {
            throw new ModelLoadException(source + ": invalid sign-model metadata: " + e.getMessage(), e);
        }
    }

    private static double frameRate(Map<String, String> props, String source) {
        String text = props.get(FRAME_RATE);
        if (text == null) {
            return 0;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(
                    source + ": " + FRAME_RATE + " must be a number of frames a second, was '" + text + "'");
        }
    }

    private static String require(Map<String, String> props, String key, String source) {
        String v = props.get(key);
        if (v == null) {
            throw new ModelLoadException(source + " is not a KSLR sign model: its metadata lacks '" + key
                    + "' (keys present: " + props.keySet() + ")");
        }
        return v;
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
