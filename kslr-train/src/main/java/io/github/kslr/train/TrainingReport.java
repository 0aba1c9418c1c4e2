package io.github.kslr.train;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignLabel;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole {@code kslr train} job: split by session, train, export the model (float32, plus an int8 variant in the
 * report folder), then evaluate the exported files on the validation session - accuracy, macro-F1, per-class
 * scores, the perturbation suite, the ridge baseline - and write the report: {@code report.txt},
 * {@code confusion.png}, {@code curves.png}, {@code history.csv}, {@code model.int8.onnx}.
 *
 * <p><b>Thread-safety.</b> Stateless; each call works on its own objects.
 */
public final class TrainingReport {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingReport.class);

    /** Ridge penalty of the baseline. */
    public static final double RIDGE_LAMBDA = 10;

    private TrainingReport() {}

    /**
     * The measured outcome. Validation figures are NaN when there is no validation session. Immutable.
     *
     * @param exportMaxDifference largest |p_onnx - p_java| over the validation windows
     */
    public record Summary(
            Trainer.Result training,
            int validationSession,
            int validationWindows,
            Evaluation clean,
            List<PerturbationSuite.Outcome> perturbations,
            List<PerturbationSuite.Outcome> ridge,
            Evaluation int8,
            long modelBytes,
            long int8Bytes,
            double exportMaxDifference) {}

    /**
     * Runs the job.
     *
     * @param validationSession windows of this session are held out for evaluation (the fixed split uses 1); all
     *        other windows train. When no window has it, everything trains and nothing is evaluated.
     * @param withBaseline also fit and evaluate the ridge baseline
     */
    public static Summary run(
            SignDataset data,
            int validationSession,
            TrainingConfig config,
            LabelTranslations translations,
            String noSignLabel,
            Path modelOut,
            Path reportDir,
            boolean withBaseline,
            TrainingListener listener) {
        Checks.notNull(data, "data");
        Checks.notNull(modelOut, "modelOut");
        Checks.notNull(reportDir, "reportDir");
        int[] valIdx = data.indicesOfSession(validationSession, true);
        int[] trainIdx = data.indicesOfSession(validationSession, false);
        if (trainIdx.length == 0) {
            throw new InvalidInputException(
                    "every window is in validation session " + validationSession + "; nothing is left to train on");
        }
        SignDataset train = data.subset(trainIdx);
        SignDataset val = valIdx.length == 0 ? null : data.subset(valIdx);
        LOG.info(
                "{}: training on {} windows, validating on {} windows of session {}",
                data,
                train.size(),
                valIdx.length,
                validationSession);
        Trainer.Result result = new Trainer(config).train(train, val, noSignLabel, listener);
        TrainedModel model =
                result.model().withMetadata(translations.applyTo(result.model().metadata(), false));
        try {
            Files.createDirectories(reportDir);
            if (modelOut.toAbsolutePath().getParent() != null) {
                Files.createDirectories(modelOut.toAbsolutePath().getParent());
            }
            byte[] fp32 = OnnxExport.toBytes(model, WeightPrecision.FLOAT32);
            byte[] int8 = OnnxExport.toBytes(model, WeightPrecision.INT8);
            AtomicFiles.write(modelOut, fp32);
            Path int8Path = reportDir.resolve("model.int8.onnx");
            AtomicFiles.write(int8Path, int8);
            writeHistory(result.history(), reportDir.resolve("history.csv"));
            ReportCharts.trainingCurves(result.history(), result.bestEpoch(), reportDir.resolve("curves.png"));
            Evaluation clean = null;
            Evaluation int8Eval = null;
            List<PerturbationSuite.Outcome> perturbations = List.of();
            List<PerturbationSuite.Outcome> ridge = List.of();
            double maxDiff = Double.NaN;
            if (val != null) {
                SignDataset valModel = val.convertTo(model.metadata().layout());
                try (OnnxProbabilityModel onnx = new OnnxProbabilityModel(ModelSource.ofPath(modelOut));
                        OnnxProbabilityModel onnx8 = new OnnxProbabilityModel(ModelSource.ofPath(int8Path))) {
                    float[] pj = model.probabilities(valModel.windows(), valModel.size());
                    float[] po = onnx.probabilities(valModel.windows(), valModel.size());
                    maxDiff = 0;
                    for (int i = 0; i < pj.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(pj[i] - po[i]));
                    }
                    clean = Evaluation.of(onnx, valModel);
                    int8Eval = Evaluation.of(onnx8, valModel);
                    // In the model's layout (the only columns it reads), which always mirrors; a data layout with
                    // face points does not.
                    perturbations = PerturbationSuite.run(valModel, PerturbationSuite.predictor(onnx));
                }
                ReportCharts.confusionMatrix(
                        clean, "Validation session " + validationSession, reportDir.resolve("confusion.png"));
                if (withBaseline) {
                    RidgeBaseline rb = RidgeBaseline.fit(train, RIDGE_LAMBDA, config.threads());
                    ridge = PerturbationSuite.run(val, rb::predict);
                }
            }
            Summary s = new Summary(
                    result,
                    validationSession,
                    valIdx.length,
                    clean,
                    perturbations,
                    ridge,
                    int8Eval,
                    fp32.length,
                    int8.length,
                    maxDiff);
            Files.writeString(reportDir.resolve("report.txt"), text(s, data, model, config), StandardCharsets.UTF_8);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model or report", e);
        }
    }

    private static void writeHistory(List<EpochStats> history, Path csv) throws IOException {
        StringBuilder sb = new StringBuilder(
                "epoch,train_loss,train_accuracy,monitor_loss,monitor_accuracy,validation_accuracy,learning_rate,seconds\n");
        for (EpochStats e : history) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6g,%.2f%n",
                    e.epoch(),
                    e.trainLoss(),
                    e.trainAccuracy(),
                    e.monitorLoss(),
                    e.monitorAccuracy(),
                    e.validationAccuracy(),
                    e.learningRate(),
                    e.seconds()));
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String text(Summary s, SignDataset data, TrainedModel model, TrainingConfig c) {
        StringBuilder sb = new StringBuilder();
        Trainer.Result r = s.training();
        sb.append("KSLR training report\n\n");
        sb.append("data: ").append(data).append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "split: validation = session %d (%d windows); training = all other"
                        + " sessions (%d windows fitted, %d held out by seed to pick the best epoch)%n",
                s.validationSession(),
                s.validationWindows(),
                r.trainWindows(),
                r.monitorWindows()));
        sb.append("model input layout: ")
                .append(model.metadata().layout().spec())
                .append('\n');
        sb.append("network: ")
                .append(model.architecture())
                .append(' ')
                .append(model.network().shape())
                .append(", ")
                .append(model.parameterCount())
                .append(" parameters\n");
        sb.append("config: ").append(c).append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "training: %d epochs run, best epoch %d, %.1f s on %d thread(s)%n",
                r.history().size(),
                r.bestEpoch(),
                r.seconds(),
                c.threads()));
        sb.append(String.format(
                Locale.ROOT,
                "model: %d bytes float32, %d bytes int8 (model.int8.onnx)%n",
                s.modelBytes(),
                s.int8Bytes()));
        sb.append("\nlabels (label, gloss, Khmer):\n");
        for (SignLabel l : model.metadata().labels()) {
            sb.append("  ")
                    .append(l.label())
                    .append('\t')
                    .append(l.gloss())
                    .append('\t')
                    .append(l.khmer())
                    .append('\n');
        }
        if (s.clean() == null) {
            sb.append("\nno validation windows: nothing evaluated\n");
            return sb.toString();
        }
        sb.append(String.format(
                Locale.ROOT,
                "%nexported ONNX vs trainer probabilities: max |difference| %.3g%n",
                s.exportMaxDifference()));
        sb.append("\nvalidation (exported float32 model): ")
                .append(s.clean().summaryLine())
                .append('\n');
        sb.append("validation (int8 variant):           ")
                .append(s.int8().summaryLine())
                .append(String.format(
                        Locale.ROOT,
                        "  (accuracy change %+.4f)%n",
                        s.int8().accuracy() - s.clean().accuracy()));
        sb.append("\nper class:\n").append(s.clean().perClassTable());
        sb.append("\nmost frequent confusions (true -> predicted: count):\n")
                .append(s.clean().topConfusions(10));
        sb.append("\nperturbation suite, model:\n").append(PerturbationSuite.table(s.perturbations()));
        if (!s.ridge().isEmpty()) {
            sb.append("\nperturbation suite, ridge baseline (one-vs-rest least squares, lambda ")
                    .append(RIDGE_LAMBDA)
                    .append(", standardised flattened raw frames):\n")
                    .append(PerturbationSuite.table(s.ridge()));
        }
        sb.append("\ncharts: confusion.png, curves.png; per-epoch numbers: history.csv\n");
        return sb.toString();
    }
}
