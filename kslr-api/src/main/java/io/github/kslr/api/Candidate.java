package io.github.kslr.api;

/**
 * One entry of a top-k list. Immutable; thread-safe.
 *
 * @param sign        the class
 * @param probability the model's probability for it, in [0, 1]
 */
public record Candidate(SignLabel sign, float probability) {
    public Candidate {
        Checks.notNull(sign, "sign");
    }
}
