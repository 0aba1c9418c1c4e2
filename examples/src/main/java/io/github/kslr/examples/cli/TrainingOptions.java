package io.github.kslr.examples.cli;

import io.github.kslr.train.Augmentation;
import io.github.kslr.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The training recipe's options that {@code train}, {@code train-embedder} and {@code few-shot} share (a picocli
 * mixin; not thread-safe).
 */
final class TrainingOptions {

    @Option(names = "--epochs", defaultValue = "60", description = "most epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "12",
            description = "stop after this many epochs without improvement (default ${DEFAULT-VALUE})")
    int patience;

    @Option(
            names = "--hidden",
            defaultValue = "64",
            description = "width of the network's first hidden layer (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--hidden2", description = "width of the second hidden layer (default: --hidden)")
    Integer hidden2;

    @Option(
            names = "--hand-shape",
            negatable = true,
            fallbackValue = "true",
            description = "add each hand's palm-scaled shape (x, y, z relative to the wrist) to the features"
                    + " (default: on for a sign model, off for an embedder; --no-hand-shape leaves it out)")
    Boolean handShape;

    @Option(
            names = "--hand-angles",
            negatable = true,
            fallbackValue = "true",
            description = "add each hand's joint cosines (three joints a finger, four finger spreads) to the features"
                    + " (default: " + (TrainingConfig.DEFAULT_HAND_ANGLES ? "on" : "off")
                    + " for a sign model, off for an"
                    + " embedder; --no-hand-angles leaves it out)")
    Boolean handAngles;

    @Option(
            names = "--velocities",
            negatable = true,
            fallbackValue = "true",
            description = "add every point's motion since the previous frame (normalised x and y) to the features"
                    + " (default: "
                    + (TrainingConfig.DEFAULT_VELOCITIES ? "on for a sign model, off for an embedder" : "off")
                    + ")")
    Boolean velocities;

    @Option(
            names = "--hand-dropout",
            paramLabel = "P",
            description = "augmentation: chance that one hand goes missing for part of a training window (default: "
                    + Augmentation.DEFAULT_HAND_DROPOUT + ")")
    Double handDropout;

    @Option(
            names = "--time-mask",
            defaultValue = "0",
            paramLabel = "P",
            description = "augmentation: chance that a run of up to 20 %% of a training window's frames loses every"
                    + " point (default ${DEFAULT-VALUE})")
    double timeMask;

    @Option(
            names = "--hand-shift",
            paramLabel = "D",
            description = "augmentation: both hands moved together against the body by up to D of the image in x"
                    + " and in y, as signers hold a sign higher, lower or more to one side (default: 0 for a sign"
                    + " model, " + TrainingConfig.DEFAULT_EMBEDDER_HAND_SHIFT + " for an embedder)")
    Double handShift;

    @Option(
            names = "--no-sign-hand-mix",
            defaultValue = "0",
            paramLabel = "P",
            description = "augmentation: chance that a no-sign window takes one hand's track from another no-sign"
                    + " window, so that no-sign covers either hand, both or none (default ${DEFAULT-VALUE})")
    double noSignHandMix;

    @Option(
            names = "--no-sign-empty",
            paramLabel = "P",
            description = "augmentation: chance that a no-sign window loses every point, as when nobody is in view"
                    + " (default: " + Augmentation.DEFAULT_NO_SIGN_EMPTY + " for a sign model, 0 for an embedder)")
    Double noSignEmpty;

    @Option(
            names = "--ensemble",
            paramLabel = "N",
            description = "networks trained from N seeds: a sign model averages their probabilities, an embedder"
                    + " concatenates their unit embeddings (scaled so that a cosine is the mean of theirs) (default: "
                    + TrainingConfig.DEFAULT_ENSEMBLE + " for a sign model, 1 for an embedder)")
    Integer ensemble;

    @Option(
            names = "--cosine-margin",
            paramLabel = "M",
            description = "COSINE_TCN only: additive cosine margin (CosFace) in training, the true class's logit"
                    + " scale * (cos - M) (default 0: none)")
    Double cosineMargin;

    @Option(
            names = "--embedding-whitening",
            paramLabel = "S",
            description = "COSINE_TCN only: whiten the embeddings by the training signs' within-class covariance,"
                    + " shrunk by S (0: none) (default: "
                    + TrainingConfig.DEFAULT_EMBEDDING_WHITENING
                    + " for an embedder, 0 for a sign model)")
    Double embeddingWhitening;

    @Option(names = "--seed", defaultValue = "7", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "worker threads (default ${DEFAULT-VALUE})")
    int threads;

    /** {@code defaults} (a sign model's or an embedder's recipe) changed by the options given. */
    TrainingConfig.Builder apply(TrainingConfig.Builder defaults) {
        TrainingConfig recipe = defaults.build();
        Augmentation a = recipe.augmentation().withTimeMask(timeMask).withNoSignHandMix(noSignHandMix);
        if (handShift != null) {
            a = a.withHandShift(handShift);
        }
        if (noSignEmpty != null) {
            a = a.withNoSignEmpty(noSignEmpty);
        }
        return defaults.seed(seed)
                .maxEpochs(epochs)
                .patience(patience)
                .hidden(hidden, hidden2 == null ? hidden : hidden2)
                .handShape(handShape == null ? recipe.handShape() : handShape)
                .handAngles(handAngles == null ? recipe.handAngles() : handAngles)
                .velocities(velocities == null ? recipe.velocities() : velocities)
                .augmentation(handDropout == null ? a : a.withHandDropout(handDropout))
                .ensemble(ensemble == null ? recipe.ensemble() : ensemble)
                .cosineMargin(cosineMargin == null ? recipe.cosineMargin() : cosineMargin)
                .embeddingWhitening(embeddingWhitening == null ? recipe.embeddingWhitening() : embeddingWhitening)
                .threads(threads);
    }
}
