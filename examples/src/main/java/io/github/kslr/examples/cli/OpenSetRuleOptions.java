package io.github.kslr.examples.cli;

import io.github.kslr.train.EmbedderBackground;
import picocli.CommandLine.Option;

/**
 * The open-set rule's settings, as `kslr train-embedder` writes them into an embedder and `kslr few-shot` scores
 * them (a picocli mixin: one place for the three options and their defaults).
 */
final class OpenSetRuleOptions {

    @Option(
            names = "--threshold",
            paramLabel = "COSINE",
            description = "the cosine a window needs to its nearest taught sign (default: "
                    + EmbedderBackground.THRESHOLD
                    + " for whitened embeddings, "
                    + EmbedderBackground.UNWHITENED_THRESHOLD
                    + " with --embedding-whitening 0)")
    Double threshold;

    @Option(
            names = "--margin",
            paramLabel = "COSINE",
            description = "how much more similar to that sign than to any background prototype (default"
                    + " ${DEFAULT-VALUE})")
    double margin = EmbedderBackground.MARGIN;

    @Option(
            names = "--background",
            paramLabel = "KIND",
            description = "the background prototypes: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    EmbedderBackground.Kind background = EmbedderBackground.DEFAULT_KIND;
}
