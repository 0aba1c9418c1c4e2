package io.github.kslr.examples.cli;

import io.github.kslr.train.Augmentation;
import io.github.kslr.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The training recipe's options that {@code train}, {@code train-embedder} and {@code few-shot} share (a picocli mixin; not thread-safe).
 */
final class TrainingOptions {

    @Option(names = "--epochs", defaultValue = "60", description = "most epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--patience", defaultValue = "12",
            description = "stop after this many epochs without improvement (default ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--hidden", defaultValue = "64",
            description = "width of the network's first hidden layer (default ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--hidden2", description = "width of the second hidden layer (default: --hidden)")
    Integer hidden2;

    @Option(names = "--hand-shape", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "add each hand's palm-scaled shape (x, y, z relative to the wrist) to the features"
                    + " (default: off)")
    boolean handShape;

    @Option(names = "--hand-dropout", defaultValue = "0", paramLabel = "P",
            description = "augmentation: chance that one hand goes missing for part of a training window"
                    + " (default ${DEFAULT-VALUE})")
    double handDropout;

    @Option(names = "--time-mask", defaultValue = "0", paramLabel = "P",
            description = "augmentation: chance that a run of up to 20 %% of a training window's frames loses every"
                    + " point (default ${DEFAULT-VALUE})")
    double timeMask;

    @Option(names = "--seed", defaultValue = "7", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "worker threads (default ${DEFAULT-VALUE})")
    int threads;

    /** A training config builder with these options (the network family is the caller's to set). */
    TrainingConfig.Builder builder() {
        return TrainingConfig.builder().seed(seed).maxEpochs(epochs).patience(patience)
                .hidden(hidden, hidden2 == null ? hidden : hidden2).handShape(handShape)
                .augmentation(Augmentation.defaults().withHandDropout(handDropout).withTimeMask(timeMask))
                .threads(threads);
    }
}
