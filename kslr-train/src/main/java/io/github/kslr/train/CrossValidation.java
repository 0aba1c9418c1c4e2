package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grouped cross-validation over recording sessions, the estimate of how a recipe does on signers it never saw. The
 * sessions are dealt into K folds of about equal size (largest session first, each to the fold with the fewest
 * windows so far); each fold is held out once while a model trains on the others. No window of a held-out session
 * takes part in training, early-stopping monitor included (the trainer draws its monitor from the training sessions).
 * Every window is then predicted once, by a model that never saw its session: the pooled predictions give per-class
 * figures; the folds give mean, spread and worst case.
 *
 * <p>Each fold reports accuracy and macro-F1, the {@link PerturbationSuite} (mirrored, shift, scale, tempo), the
 * no-sign figures at the recognizer's default threshold, and optionally the ridge baseline on the same split.
 *
 * <p><b>Thread-safety.</b> Stateless; {@link #run} may be called from several threads (each call trains with the
 * config's own thread count).
 */
public final class CrossValidation {

    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);

    /** The confidence below which a recognizer reports no sign by default ({@code OnnxSignClassifier}'s). */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    private CrossValidation() {}

    /** One fold: the sessions it holds out and the window indices on each side. Immutable. */
    public record Fold(int index, int[] sessions, int[] train, int[] validation) {
        public Fold {
            sessions = sessions.clone();
            train = train.clone();
            validation = validation.clone();
        }

        @Override
        public int[] sessions() {
            return sessions.clone();
        }
    }

    /**
     * What one fold's model did on its held-out sessions. Immutable.
     *
     * @param predicted        the class of each validation window, in {@link Fold#validation()} order
     * @param decided          what a recognizer at {@link #DEFAULT_THRESHOLD} reports for each window: the most
     *                         probable class when it is a sign at or above the threshold, else the no-sign class
     *                         (the same as {@code predicted} without a no-sign label)
     * @param decisions        {@code decided} against the truth
     * @param probabilities    the model's probabilities, {@code [window][class]} flattened, in validation order
     * @param noSignFalseAccept share of no-sign windows recognised as a sign at {@link #DEFAULT_THRESHOLD} (NaN
     *                         without a no-sign label or windows)
     * @param signRejected     share of sign windows not recognised at that threshold (NaN without sign windows)
     */
    public record FoldResult(
            Fold fold,
            Evaluation evaluation,
            List<PerturbationSuite.Outcome> perturbations,
            Evaluation ridge,
            int[] predicted,
            int[] decided,
            Evaluation decisions,
            float[] probabilities,
            double noSignFalseAccept,
            double signRejected,
            int bestEpoch,
            double seconds) {

        /** Accuracy under the named perturbation (NaN when the suite left it out). */
        public double accuracy(String perturbation) {
            return perturbations.stream()
                    .filter(o -> o.name().equals(perturbation))
                    .mapToDouble(PerturbationSuite.Outcome::accuracy)
                    .findFirst()
                    .orElse(Double.NaN);
        }
    }

    /**
     * The whole run. Immutable.
     *
     * @param pooledDecisions the recognizer's decisions at {@link #DEFAULT_THRESHOLD} pooled over the folds
     */
    public record Report(
            List<FoldResult> folds,
            Evaluation pooled,
            Evaluation pooledDecisions,
            Evaluation pooledRidge,
            String recipe) {

        /** Mean, population standard deviation and minimum of a per-fold figure. */
        public record Spread(double mean, double std, double min) {
            @Override
            public String toString() {
                return String.format(Locale.ROOT, "%.4f +- %.4f (min %.4f)", mean, std, min);
            }
        }

        public Spread accuracy() {
            return spread(
                    folds.stream().mapToDouble(f -> f.evaluation().accuracy()).toArray());
        }

        /**
         * The spread of the share of windows a recognizer at {@link #DEFAULT_THRESHOLD} gets right: a sign window
         * must be recognised as its sign, a no-sign window must yield no sign (a confident wrong sign and a rejected
         * sign are both errors). This is what a user of the shipped recognizer sees; {@link #accuracy()} is the
         * most probable class alone.
         */
        public Spread decisionAccuracy() {
            return spread(
                    folds.stream().mapToDouble(f -> f.decisions().accuracy()).toArray());
        }

        public Spread macroF1() {
            return spread(
                    folds.stream().mapToDouble(f -> f.evaluation().macroF1()).toArray());
        }

        /** The spread of a perturbation's accuracy over the folds. */
        public Spread accuracy(String perturbation) {
            return spread(
                    folds.stream().mapToDouble(f -> f.accuracy(perturbation)).toArray());
        }

        public Spread ridgeAccuracy() {
            return spread(folds.stream()
                    .filter(f -> f.ridge() != null)
                    .mapToDouble(f -> f.ridge().accuracy())
                    .toArray());
        }

        public Spread noSignFalseAccept() {
            return spread(folds.stream()
                    .mapToDouble(FoldResult::noSignFalseAccept)
                    .filter(v -> !Double.isNaN(v))
                    .toArray());
        }

        public Spread signRejected() {
            return spread(folds.stream()
                    .mapToDouble(FoldResult::signRejected)
                    .filter(v -> !Double.isNaN(v))
                    .toArray());
        }

        /**
         * Every window's prediction by the model that never saw its session, as CSV (one header line, then one
         * line a window in data order): {@code window,session,fold,truth,predicted,confidence,reported} and one
         * probability column a class, {@code p:LABEL}. {@code reported} is the recognizer's decision at {@link
         * #DEFAULT_THRESHOLD}. For choosing a threshold or a rejection rule without training again.
         *
         * @param data the data set the report was made from
         * @throws InvalidInputException when {@code data} is not that data set (another number of windows)
         */
        public String predictionsCsv(SignDataset data) {
            Checks.notNull(data, "data");
            int windows =
                    folds.stream().mapToInt(f -> f.fold().validation().length).sum();
            if (windows != data.size()) {
                throw new InvalidInputException("the report covers " + windows + " windows; the data set has "
                        + data.size() + ": not the data set it was made from");
            }
            List<String> labels = data.labels();
            int c = labels.size();
            List<List<Object>> rows = new ArrayList<>(java.util.Collections.nCopies(data.size(), null));
            for (FoldResult f : folds) {
                int[] idx = f.fold().validation();
                for (int i = 0; i < idx.length; i++) {
                    int best = f.predicted()[i];
                    List<Object> row = new ArrayList<>(List.of(
                            idx[i],
                            data.session(idx[i]),
                            f.fold().index(),
                            labels.get(data.label(idx[i])),
                            labels.get(best),
                            f.probabilities()[i * c + best],
                            labels.get(f.decided()[i])));
                    for (int k = 0; k < c; k++) {
                        row.add(f.probabilities()[i * c + k]);
                    }
                    rows.set(idx[i], row);
                }
            }
            List<String> header = new ArrayList<>(
                    List.of("window", "session", "fold", "truth", "predicted", "confidence", "reported"));
            labels.forEach(l -> header.add("p:" + l));
            // Commons CSV quotes a label that holds a comma or a quote (RFC 4180); one line feed a record.
            StringBuilder out = new StringBuilder(CSVFormat.DEFAULT.format(header.toArray())).append('\n');
            for (List<Object> row : rows) {
                out.append(CSVFormat.DEFAULT.format(row.toArray())).append('\n');
            }
            return out.toString();
        }

        /** The line {@code kslr train --cv} ends its cross-validation with. */
        public String summaryLine() {
            Spread a = accuracy();
            return String.format(
                    Locale.ROOT,
                    "cv_accuracy=%.4f cv_std=%.4f cv_min=%.4f cv_macro_f1=%.4f folds=%d",
                    a.mean(),
                    a.std(),
                    a.min(),
                    macroF1().mean(),
                    folds.size());
        }

        /** The report as text: per fold, mean and spread, perturbations, no-sign figures, per class. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            sb.append("cross-validation over recording sessions: ")
                    .append(folds.size())
                    .append(" folds, each session held out once\n");
            sb.append("recipe: ").append(recipe).append('\n');
            boolean ridge = folds.stream().allMatch(f -> f.ridge() != null);
            sb.append(String.format(
                    Locale.ROOT,
                    "%-5s %-24s %7s %9s %9s %9s %9s %11s %11s%s%n",
                    "fold",
                    "sessions",
                    "windows",
                    "accuracy",
                    "decided",
                    "macro_f1",
                    "mirrored",
                    "no-sign FA",
                    "sign rej.",
                    ridge ? "     ridge" : ""));
            for (FoldResult f : folds) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%-5d %-24s %7d %9.4f %9.4f %9.4f %9.4f %11.4f %11.4f%s%n",
                        f.fold().index(),
                        Arrays.toString(f.fold().sessions()),
                        f.fold().validation().length,
                        f.evaluation().accuracy(),
                        f.decisions().accuracy(),
                        f.evaluation().macroF1(),
                        f.accuracy("mirrored"),
                        f.noSignFalseAccept(),
                        f.signRejected(),
                        ridge ? String.format(Locale.ROOT, " %9.4f", f.ridge().accuracy()) : ""));
            }
            sb.append("accuracy  ").append(accuracy()).append('\n');
            sb.append("decided   ")
                    .append(decisionAccuracy())
                    .append(" (what a recognizer at threshold ")
                    .append(DEFAULT_THRESHOLD)
                    .append(" reports: a sign under it or the no-sign class counts as no sign)\n");
            sb.append("macro-F1  ").append(macroF1()).append('\n');
            for (String p : PerturbationSuite.names()) {
                if (!p.equals("clean")) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "%-9s %s (cost %+.4f)%n",
                            p,
                            accuracy(p),
                            accuracy(p).mean() - accuracy().mean()));
                }
            }
            sb.append("no-sign windows recognised as a sign (threshold ")
                    .append(DEFAULT_THRESHOLD)
                    .append("): ")
                    .append(noSignFalseAccept())
                    .append('\n');
            sb.append("sign windows not recognised (threshold ")
                    .append(DEFAULT_THRESHOLD)
                    .append("): ")
                    .append(signRejected())
                    .append('\n');
            if (ridge) {
                long beaten = folds.stream()
                        .filter(f -> f.evaluation().accuracy() > f.ridge().accuracy())
                        .count();
                sb.append("ridge baseline ")
                        .append(ridgeAccuracy())
                        .append("; the model beats it on ")
                        .append(beaten)
                        .append(" of ")
                        .append(folds.size())
                        .append(" folds\n");
            }
            sb.append("\nmost frequent confusions per fold (true -> predicted: count):\n");
            for (FoldResult f : folds) {
                sb.append("  fold ")
                        .append(f.fold().index())
                        .append(": ")
                        .append(f.evaluation().topConfusions(4).strip().replace("\n", "; "))
                        .append('\n');
            }
            sb.append("most frequent wrong decisions at threshold ")
                    .append(DEFAULT_THRESHOLD)
                    .append(" per fold (true -> reported):\n");
            for (FoldResult f : folds) {
                sb.append("  fold ")
                        .append(f.fold().index())
                        .append(": ")
                        .append(f.decisions().topConfusions(4).strip().replace("\n", "; "))
                        .append('\n');
            }
            sb.append("\npooled over folds (every window predicted by a model that never saw its session): ")
                    .append(pooled.summaryLine())
                    .append('\n');
            sb.append(pooled.perClassTable());
            sb.append("most frequent confusions (true -> predicted: count):\n").append(pooled.topConfusions(12));
            return sb.toString();
        }
    }

    /**
     * Deals the sessions of {@code data} into {@code k} folds of about equal size.
     *
     * @throws InvalidInputException when the data has fewer than {@code k} sessions or {@code k < 2}
     */
    public static List<Fold> folds(SignDataset data, int k) {
        Checks.notNull(data, "data");
        if (k < 2) {
            throw new InvalidInputException("cross-validation needs at least 2 folds, was " + k);
        }
        int[] sessions = Arrays.stream(sessionsOf(data)).distinct().sorted().toArray();
        if (sessions.length < k) {
            throw new InvalidInputException("cross-validation with " + k + " folds needs at least " + k
                    + " recording sessions; the data has " + sessions.length + " (" + Arrays.toString(sessions)
                    + ")");
        }
        int[] size = new int[sessions.length];
        for (int i = 0; i < data.size(); i++) {
            size[Arrays.binarySearch(sessions, data.session(i))]++;
        }
        Integer[] order = new Integer[sessions.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Largest first; ties by session id, so the folds depend on nothing but the data.
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -size[i]).thenComparingInt(i -> sessions[i]));
        long[] load = new long[k];
        List<List<Integer>> foldSessions = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            foldSessions.add(new ArrayList<>());
        }
        for (int i : order) {
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (load[f] < load[best]) {
                    best = f;
                }
            }
            load[best] += size[i];
            foldSessions.get(best).add(sessions[i]);
        }
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int[] held = foldSessions.get(f).stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            List<Integer> tr = new ArrayList<>();
            List<Integer> va = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                (Arrays.binarySearch(held, data.session(i)) >= 0 ? va : tr).add(i);
            }
            folds.add(new Fold(
                    f + 1,
                    held,
                    tr.stream().mapToInt(Integer::intValue).toArray(),
                    va.stream().mapToInt(Integer::intValue).toArray()));
        }
        return folds;
    }

    /**
     * Trains and evaluates every fold.
     *
     * @param noSignLabel the no-sign label, or "" for none
     * @param withBaseline also fit the ridge baseline on each fold's training sessions
     * @param recipe      a description of what is being cross-validated, for the report
     * @param onFold      told the fold index as each fold starts (progress), or null
     */
    public static Report run(
            SignDataset data,
            int k,
            TrainingConfig config,
            String noSignLabel,
            boolean withBaseline,
            String recipe,
            IntConsumer onFold) {
        Checks.notNull(config, "config");
        Checks.notNull(noSignLabel, "noSignLabel");
        List<Fold> folds = folds(data, k);
        List<FoldResult> results = new ArrayList<>();
        int[] truth = new int[data.size()];
        int[] pooled = new int[data.size()];
        int[] pooledDecided = new int[data.size()];
        int[] pooledRidge = withBaseline ? new int[data.size()] : null;
        for (Fold fold : folds) {
            if (onFold != null) {
                onFold.accept(fold.index());
            }
            long started = System.nanoTime();
            SignDataset train = data.subset(fold.train());
            SignDataset val = data.subset(fold.validation());
            Trainer.Result r = new Trainer(config).train(train, null, noSignLabel, null);
            TrainedModel model = r.model();
            SignDataset valModel = val.convertTo(model.metadata().layout());
            float[] p = model.probabilities(valModel.windows(), valModel.size());
            int c = model.metadata().labels().size();
            int[] predicted = new int[val.size()];
            float[] row = new float[c];
            int noSign =
                    noSignLabel.isEmpty() ? -1 : model.metadata().labelNames().indexOf(noSignLabel);
            int[] decided = new int[val.size()];
            int noSignWindows = 0;
            int falseAccepts = 0;
            int signWindows = 0;
            int rejected = 0;
            for (int i = 0; i < predicted.length; i++) {
                System.arraycopy(p, i * c, row, 0, c);
                predicted[i] = Trainer.argmax(row);
                boolean recognised = predicted[i] != noSign && row[predicted[i]] >= DEFAULT_THRESHOLD;
                decided[i] = recognised || noSign < 0 ? predicted[i] : noSign;
                if (val.label(i) == noSign) {
                    noSignWindows++;
                    falseAccepts += recognised ? 1 : 0;
                } else {
                    signWindows++;
                    rejected += recognised ? 0 : 1;
                }
            }
            Evaluation evaluation = Evaluation.of(val.labels(), val.labelsArray(), predicted);
            Evaluation decisions = Evaluation.of(val.labels(), val.labelsArray(), decided);
            List<PerturbationSuite.Outcome> perturbations =
                    PerturbationSuite.run(valModel, PerturbationSuite.predictor(model));
            Evaluation ridge = null;
            if (withBaseline) {
                int[] rp = RidgeBaseline.fit(train, TrainingReport.RIDGE_LAMBDA, config.threads())
                        .predict(val);
                ridge = Evaluation.of(val.labels(), val.labelsArray(), rp);
                for (int i = 0; i < rp.length; i++) {
                    pooledRidge[fold.validation()[i]] = rp[i];
                }
            }
            for (int i = 0; i < predicted.length; i++) {
                truth[fold.validation()[i]] = val.label(i);
                pooled[fold.validation()[i]] = predicted[i];
                pooledDecided[fold.validation()[i]] = decided[i];
            }
            FoldResult fr = new FoldResult(
                    fold,
                    evaluation,
                    perturbations,
                    ridge,
                    predicted,
                    decided,
                    decisions,
                    Arrays.copyOf(p, val.size() * c),
                    noSignWindows == 0 ? Double.NaN : (double) falseAccepts / noSignWindows,
                    signWindows == 0 ? Double.NaN : (double) rejected / signWindows,
                    r.bestEpoch(),
                    (System.nanoTime() - started) / 1e9);
            LOG.info(
                    "fold {}/{} (sessions {}): {}{} in {} s",
                    fold.index(),
                    folds.size(),
                    Arrays.toString(fold.sessions()),
                    evaluation.summaryLine(),
                    ridge == null ? "" : String.format(Locale.ROOT, ", ridge %.4f", ridge.accuracy()),
                    String.format(Locale.ROOT, "%.1f", fr.seconds()));
            results.add(fr);
        }
        return new Report(
                results,
                Evaluation.of(data.labels(), truth, pooled),
                Evaluation.of(data.labels(), truth, pooledDecided),
                withBaseline ? Evaluation.of(data.labels(), truth, pooledRidge) : null,
                recipe);
    }

    private static int[] sessionsOf(SignDataset data) {
        int[] s = new int[data.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = data.session(i);
        }
        return s;
    }

    static Report.Spread spread(double[] v) {
        if (v.length == 0) {
            return new Report.Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
        return new Report.Spread(mean, Math.sqrt(var), Arrays.stream(v).min().orElse(Double.NaN));
    }
}
