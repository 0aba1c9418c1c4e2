package io.github.kslr.examples.cli;

import io.github.kslr.train.EmbedderBackground;
import io.github.kslr.train.SignDataset;
import io.github.kslr.train.TrainingConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a sign embedder is trained and what rejects windows it does not know: the data, its no-sign label, the open-set
 * rule and the training recipe, as {@code kslr train-embedder} trains the embedder it exports and {@code kslr few-shot}
 * trains each fold's embedder (a picocli mixin: one place, so that the protocol measures embedders made as
 * train-embedder makes them; not thread-safe).
 */
final class EmbedderTrainingOptions {

    @Mixin
    DatasetOptions data = new DatasetOptions();

    @Option(
            names = "--no-sign-label",
            defaultValue = "-",
            description = "the label meaning 'no sign' (default '${DEFAULT-VALUE}')")
    String noSignLabel;

    @Mixin
    OpenSetRuleOptions rule = new OpenSetRuleOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    /** The no-sign label of {@code dataset}: {@code --no-sign-label} when it has that label, else null. */
    String noSign(SignDataset dataset) {
        return dataset.labelIfPresent(noSignLabel);
    }

    /** {@code --threshold}, or the default that goes with the recipe's embeddings ({@link EmbedderBackground}). */
    double threshold() {
        return rule.threshold != null ? rule.threshold : EmbedderBackground.threshold(config());
    }

    /** The embedder's recipe ({@link TrainingConfig#embedderBuilder()}) changed by the training options given. */
    TrainingConfig config() {
        return training.apply(TrainingConfig.embedderBuilder()).build();
    }
}
