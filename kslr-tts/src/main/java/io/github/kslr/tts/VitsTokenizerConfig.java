package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokenizer data of a VITS voice, as transformers' {@code VitsTokenizer} keeps it ({@code vocab.json} and
 * {@code tokenizer_config.json}).
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param vocab     symbol to token id, in the vocabulary file's order (normalisation tries symbols in this order);
 *                  copied into an unmodifiable map
 * @param padToken  the pad token (for mms-tts-khm COENG U+17D2, which is also id 0, the blank)
 * @param unkToken  the unknown token, or null; used for out-of-vocabulary symbols only when it is in the vocabulary
 * @param language  ISO 639-3 code ({@code khm}), or null
 * @param addBlank  intersperse the blank (id 0) between symbols
 * @param normalize lower-case the text and drop every character outside the vocabulary
 */
public record VitsTokenizerConfig(
        Map<String, Integer> vocab,
        String padToken,
        String unkToken,
        String language,
        boolean addBlank,
        boolean normalize) {

    public VitsTokenizerConfig {
        Checks.notNull(vocab, "vocab");
        Checks.notNull(padToken, "padToken");
        if (vocab.isEmpty()) {
            throw new InvalidInputException("vocab must have at least one symbol, was empty");
        }
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null || e.getValue() < 0) {
                throw new InvalidInputException("vocab entries must map a non-empty symbol to an id >= 0, had '"
                        + e.getKey() + "' -> " + e.getValue());
            }
        }
        if (padToken.isEmpty()) {
            throw new InvalidInputException("padToken must not be empty");
        }
        if (addBlank && !vocab.containsValue(0)) {
            throw new InvalidInputException("add_blank needs a vocab symbol with id 0 (the blank); the vocab of "
                    + vocab.size() + " symbols has none");
        }
        vocab = Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
    }
}
