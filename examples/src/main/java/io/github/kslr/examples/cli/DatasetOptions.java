package io.github.kslr.examples.cli;

import io.github.kslr.train.SignDataset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR} of the commands that train or evaluate on a dataset folder (a picocli mixin: one place for the
 * option; not thread-safe).
 */
final class DatasetOptions {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the dataset folder")
    Path dir;

    /** The dataset in {@code --data}: X.npy and the rest, or an MP_Data folder ({@link SignDataset#open}). */
    SignDataset open() {
        return SignDataset.open(dir);
    }
}
