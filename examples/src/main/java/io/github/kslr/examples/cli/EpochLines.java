package io.github.kslr.examples.cli;

import io.github.kslr.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/** The line {@code train} and {@code train-embedder} print after each epoch (one place for its format). */
final class EpochLines {
    private EpochLines() {}

    /**
     * A listener printing one line an epoch to {@code o}, flushed at once (a long training shows its progress); the
     * validation accuracy only where the training has validation data ({@code train}'s held-out session).
     */
    static TrainingListener printingTo(PrintWriter o) {
        return (e, improved) -> {
            o.printf(
                    Locale.ROOT,
                    "epoch %3d  loss %.4f  acc %.4f  monitor loss %.4f acc %.4f%s  %.1fs%s%n",
                    e.epoch(),
                    e.trainLoss(),
                    e.trainAccuracy(),
                    e.monitorLoss(),
                    e.monitorAccuracy(),
                    Double.isNaN(e.validationAccuracy())
                            ? ""
                            : String.format(Locale.ROOT, "  validation acc %.4f", e.validationAccuracy()),
                    e.seconds(),
                    improved ? "  *" : "");
            o.flush();
        };
    }
}
