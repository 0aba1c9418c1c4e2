package io.github.kslr.examples.cli;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.train.CrossValidation;
import io.github.kslr.train.LabelTranslations;
import io.github.kslr.train.NetworkFamily;
import io.github.kslr.train.PerturbationSuite;
import io.github.kslr.train.SignDataset;
import io.github.kslr.train.TrainingConfig;
import io.github.kslr.train.TrainingReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr train --data DIR --out MODEL.onnx --report REPORT_DIR}: trains a sign model in Java, exports it to ONNX
 * with the KSLR metadata and writes an evaluation report.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a sign model on landmark sequences and exports it to ONNX with its labels, glosses,"
                    + " Khmer texts and feature layout in the model's metadata.",
            "DIR holds X.npy [N, T, F] float (F = 258, 1662 or 177), y.npy [N] int, labels.txt (one label a line)"
                    + " and optionally session.npy [N] int; or it is an MP_Data folder (<sign>/<sequence>/<frame>.npy).",
            "Windows of --session (default 1) are held out and evaluated; all others train (--session -1: every"
                    + " session trains). REPORT_DIR gets report.txt, confusion.png, curves.png, history.csv,"
                    + " model.int8.onnx and checkpoints/.",
            "--cv K first cross-validates the recipe over recording sessions (K folds, each session held out once;"
                    + " the estimate for signers the model never saw) and writes REPORT_DIR/cv.txt; its last line is"
                    + " cv_accuracy=... cv_std=... cv_min=... cv_macro_f1=... folds=K. REPORT_DIR/cv-predictions.csv"
                    + " holds every window's probabilities from the model that never saw its session; --cv-only stops"
                    + " there."
        })
public final class TrainCommand extends CommandBase {

    @CommandLine.Mixin
    DatasetOptions data = new DatasetOptions();

    @Option(
            names = "--out",
            paramLabel = "MODEL.onnx",
            description = "where the model goes (required unless --cv-only)")
    Path out;

    @Option(names = "--report", required = true, paramLabel = "REPORT_DIR", description = "where the report goes")
    Path report;

    @Option(
            names = "--session",
            defaultValue = "1",
            description = "recording session held out for validation (default ${DEFAULT-VALUE})")
    int session;

    @Option(
            names = "--cv",
            paramLabel = "K",
            description = "cross-validate over recording sessions with K folds before training the model")
    Integer cv;

    @Option(
            names = "--cv-only",
            description = "stop after the cross-validation of --cv: no model is trained and --out is not needed")
    boolean cvOnly;

    @Option(
            names = "--translations",
            paramLabel = "LABELS.tsv",
            description = "label<TAB>gloss<TAB>khmer lines giving each label its English gloss and Khmer text")
    Path translations;

    @Option(
            names = "--no-sign-label",
            defaultValue = "-",
            description = "the label meaning 'no sign', if the data has it (default '${DEFAULT-VALUE}')")
    String noSignLabel;

    @CommandLine.Mixin
    TrainingOptions training;

    @Option(
            names = "--architecture",
            defaultValue = "TCN",
            converter = NetworkFamilyConverter.class,
            description = "TCN (temporal convolution, default), LSTM (the reports' LSTM-LSTM-dense-dense),"
                    + " COSINE_TCN (temporal convolution with a cosine head, the sign embedder) or CONV_ATTENTION"
                    + " (depthwise temporal convolution and self-attention, as the ISLR 2023 winners)")
    NetworkFamily architecture;

    /** Names of {@link NetworkFamily#builtIn()}, case-insensitive. */
    static final class NetworkFamilyConverter implements picocli.CommandLine.ITypeConverter<NetworkFamily> {
        @Override
        public NetworkFamily convert(String value) {
            return NetworkFamily.named(value);
        }
    }

    @Option(names = "--no-baseline", description = "skip the ridge baseline")
    boolean noBaseline;

    @Option(
            names = "--fps",
            paramLabel = "RATE",
            description = "frames a second of the dataset's windows, written into the model so that recognizers"
                    + " resample live frames to it (default: the dataset's frame_rate.txt, which kslr dataset --fps"
                    + " writes; none when absent)")
    Double fps;

    @Override
    public Integer call() {
        PrintWriter o = out();
        if (cvOnly && cv == null) {
            throw usageError("--cv-only needs --cv K");
        }
        if (!cvOnly && out == null) {
            throw usageError("Missing required option: '--out=MODEL.onnx' (only --cv-only trains no model)");
        }
        SignDataset dataset = data.open();
        if (fps != null) {
            dataset = dataset.withFrameRate(fps);
        }
        o.println("data: " + dataset);
        TrainingConfig config = training.apply(TrainingConfig.builder())
                .architecture(architecture)
                .checkpointDir(report.resolve("checkpoints"))
                .build();
        LabelTranslations tr = translations == null ? LabelTranslations.none() : LabelTranslations.read(translations);
        String noSign = dataset.labelIfPresent(noSignLabel);
        if (cv != null) {
            crossValidate(o, dataset, config, noSign);
            if (cvOnly) {
                return 0;
            }
        }
        TrainingReport.Summary s = TrainingReport.run(
                dataset, session, config, tr, noSign, out, report, !noBaseline, EpochLines.printingTo(o));
        o.printf(
                Locale.ROOT,
                "trained in %.1f s (best epoch %d); model %s (%d bytes), report %s%n",
                s.training().seconds(),
                s.training().bestEpoch(),
                out,
                s.modelBytes(),
                report);
        if (s.clean() == null) {
            o.println("no windows of session " + session + ": nothing evaluated");
            return 0;
        }
        o.print(PerturbationSuite.table(s.perturbations()));
        if (!s.ridge().isEmpty()) {
            o.printf(
                    Locale.ROOT,
                    "ridge baseline accuracy=%.4f%n",
                    s.ridge().get(0).accuracy());
        }
        o.printf(Locale.ROOT, "int8 variant %s%n", s.int8().summaryLine());
        o.println(s.clean().summaryLine());
        return 0;
    }

    private void crossValidate(PrintWriter o, SignDataset dataset, TrainingConfig config, String noSign) {
        // Checkpoints belong to the final model only.
        TrainingConfig foldConfig = config.toBuilder().checkpointDir(null).build();
        String recipe = foldConfig.toString();
        long started = System.nanoTime();
        CrossValidation.Report r = CrossValidation.run(dataset, cv, foldConfig, noSign, !noBaseline, recipe, fold -> {
            o.printf(Locale.ROOT, "cross-validation fold %d/%d ...%n", fold, cv);
            o.flush();
        });
        String text = r.text()
                + String.format(Locale.ROOT, "%ncross-validation took %.1f s%n", (System.nanoTime() - started) / 1e9)
                + r.summaryLine() + "\n";
        try {
            Files.createDirectories(report);
            AtomicFiles.write(report.resolve("cv.txt"), text.getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(
                    report.resolve("cv-predictions.csv"),
                    r.predictionsCsv(dataset).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cross-validation report into " + report, e);
        }
        o.print(text);
        o.flush();
    }
}
