package io.github.kslr.examples.cli;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.onnx.writer.WeightPrecision;
import io.github.kslr.train.EmbedderBackground;
import io.github.kslr.train.NetworkFamily;
import io.github.kslr.train.OnnxExport;
import io.github.kslr.train.SignDataset;
import io.github.kslr.train.Trainer;
import io.github.kslr.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr train-embedder --data DIR --out EMB.onnx}: trains the sign embedder (a {@link NetworkFamily#COSINE_TCN}
 * network) and exports it with its open-set rejection defaults: background prototypes computed from its own training
 * data ({@link EmbedderBackground}), a threshold and a margin.
 */
@Command(
        name = "train-embedder",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a sign embedder: a network whose L2-normalised output puts takes of one sign close"
                    + " together, for enrolling new signs from a few takes. Every window trains (a seeded share of each"
                    + " label is held out to stop early). EMB.onnx takes landmark windows [batch, T, F] and gives"
                    + " embeddings [batch, E]; its metadata holds the labels it was trained on, the layout, the window"
                    + " length, the embedding size, a hash of its weights and what rejects windows of no enrolled sign:"
                    + " background prototypes (a few centres of the no-sign windows; with --background SIGNS_AND_NO_SIGN"
                    + " also the mean embedding of each trained sign), a threshold and a margin over the background.",
            "--exclude-labels leaves labels out of training, for an honest test on signs it never saw."
        })
public final class TrainEmbedderCommand extends CommandBase {

    @CommandLine.Mixin
    EmbedderTrainingOptions embedderTraining = new EmbedderTrainingOptions();

    @Option(names = "--out", required = true, paramLabel = "EMB.onnx", description = "where the embedder goes")
    Path out;

    @Option(
            names = "--exclude-labels",
            split = ",",
            paramLabel = "L1,L2,...",
            description = "labels left out of training")
    List<String> excluded = List.of();

    @Option(names = "--report", paramLabel = "DIR", description = "where report.txt goes (default: none)")
    Path report;

    @Override
    public Integer call() {
        PrintWriter o = out();
        SignDataset dataset = embedderTraining.data.open();
        SignDataset train = dataset.withoutLabels(excluded);
        o.println("data: " + train + (excluded.isEmpty() ? "" : " (left out: " + String.join(", ", excluded) + ")"));
        String noSign = embedderTraining.noSign(train);
        TrainingConfig config = embedderTraining.config();
        OpenSetRuleOptions rule = embedderTraining.rule;
        // No validation data: the lines hold no validation accuracy.
        Trainer.Result r = new Trainer(config).train(train, null, noSign, EpochLines.printingTo(o));
        SignDataset in = train.convertTo(r.model().metadata().layout());
        float[] background = EmbedderBackground.prototypes(
                train,
                r.model().embeddings(in.windows(), in.size()),
                r.model().embeddingSize(),
                noSign,
                List.of(),
                rule.background);
        double threshold = embedderTraining.threshold();
        byte[] bytes =
                OnnxExport.toEmbedderBytes(r.model(), threshold, background, rule.margin, WeightPrecision.FLOAT32);
        String summary = String.format(
                Locale.ROOT,
                "embedder %s: %d labels, embedding size %d, %d bytes, rejection"
                        + " threshold %.4f (cosine), margin %.4f over %d background prototypes, trained in %.1f s (best epoch"
                        + " %d)%n",
                out,
                train.labels().size(),
                r.model().embeddingSize(),
                bytes.length,
                threshold,
                rule.margin,
                background.length / r.model().embeddingSize(),
                r.seconds(),
                r.bestEpoch());
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            AtomicFiles.write(out, bytes);
            if (report != null) {
                Files.createDirectories(report);
                AtomicFiles.write(
                        report.resolve("report.txt"),
                        ("KSLR sign embedder\n\ndata: " + train + "\nleft out: " + excluded + "\nconfig: " + config
                                        + "\n" + summary)
                                .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        o.print(summary);
        o.flush();
        return 0;
    }
}
