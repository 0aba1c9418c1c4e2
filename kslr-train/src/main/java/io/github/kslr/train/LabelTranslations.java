package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * English glosses and Khmer texts for a model's labels, read from a UTF-8 tab-separated file: one
 * {@code label<TAB>gloss<TAB>khmer} line a label; empty lines and lines starting with {@code #} are ignored.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public record LabelTranslations(Map<String, String> glosses, Map<String, String> khmer) {

    public LabelTranslations {
        glosses = Map.copyOf(glosses);
        khmer = Map.copyOf(khmer);
    }

    /** No translations: glosses stay the labels, Khmer stays empty. */
    public static LabelTranslations none() {
        return new LabelTranslations(Map.of(), Map.of());
    }

    /** Reads a translation file. */
    public static LabelTranslations read(Path file) {
        Checks.notNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read translations " + file, e);
        }
        Map<String, String> g = new LinkedHashMap<>();
        Map<String, String> k = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 3 || f[0].isBlank()) {
                throw new InvalidInputException(
                        file + ":" + (i + 1) + ": expected label<TAB>gloss<TAB>khmer, was '" + line + "'");
            }
            if (g.put(f[0].strip(), f[1].strip()) != null) {
                throw new InvalidInputException(file + ":" + (i + 1) + ": label '" + f[0] + "' appears twice");
            }
            k.put(f[0].strip(), f[2].strip());
        }
        return new LabelTranslations(g, k);
    }

    /**
     * {@code metadata} with these glosses and Khmer texts.
     *
     * @param requireAll when true, every label must have a gloss and a non-empty Khmer text
     */
    public SignModelMetadata applyTo(SignModelMetadata metadata, boolean requireAll) {
        if (requireAll) {
            for (String label : metadata.labelNames()) {
                if (!glosses.containsKey(label) || khmer.getOrDefault(label, "").isEmpty()) {
                    throw new InvalidInputException(
                            "translations lack a gloss or Khmer text for label '" + label + "'");
                }
            }
        }
        for (String label : glosses.keySet()) {
            if (!metadata.labelNames().contains(label)) {
                throw new InvalidInputException("translations name label '" + label + "', which the model lacks ("
                        + metadata.labelNames() + ")");
            }
        }
        return metadata.withTranslations(glosses, khmer);
    }
}
