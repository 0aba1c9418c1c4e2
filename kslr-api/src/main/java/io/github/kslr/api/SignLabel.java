package io.github.kslr.api;

/**
 * One class a sign model knows. Immutable; thread-safe.
 *
 * @param index position in the model's output
 * @param label the class name in the training data (e.g. {@code coffee})
 * @param gloss the English gloss shown to users (often equal to the label)
 * @param khmer the Khmer text the sign stands for (e.g. {@code កាហ្វេ}); empty when the model has none
 */
public record SignLabel(int index, String label, String gloss, String khmer) {
    public SignLabel {
        Checks.nonNegative(index, "index");
        Checks.notNull(label, "label");
        Checks.notNull(gloss, "gloss");
        Checks.notNull(khmer, "khmer");
    }
}
