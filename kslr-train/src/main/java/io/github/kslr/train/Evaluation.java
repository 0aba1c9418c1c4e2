package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix of predictions against truth.
 * Macro-F1 averages the F1 of every class that occurs in the truth or the predictions (as scikit-learn does for the
 * labels present).
 *
 * <p><b>Thread-safety.</b> Immutable (accessors return copies).
 */
public final class Evaluation {

    private final List<String> labels;
    private final int[][] confusion;
    private final int n;
    private final int correct;

    private Evaluation(List<String> labels, int[][] confusion, int n, int correct) {
        this.labels = List.copyOf(labels);
        this.confusion = confusion;
        this.n = n;
        this.correct = correct;
    }

    /** Compares {@code predicted} with {@code truth} (class indices into {@code labels}). */
    public static Evaluation of(List<String> labels, int[] truth, int[] predicted) {
        Checks.notNull(labels, "labels");
        Checks.notNull(truth, "truth");
        Checks.notNull(predicted, "predicted");
        if (truth.length != predicted.length || truth.length == 0) {
            throw new InvalidInputException("truth (" + truth.length + ") and predictions (" + predicted.length
                    + ") must have the same non-zero length");
        }
        int c = labels.size();
        int[][] m = new int[c][c];
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
                throw new InvalidInputException("class index out of [0, " + c + ") at " + i + ": truth " + truth[i]
                        + ", predicted " + predicted[i]);
            }
            m[truth[i]][predicted[i]]++;
            ok += truth[i] == predicted[i] ? 1 : 0;
        }
        return new Evaluation(labels, m, truth.length, ok);
    }

    /** Evaluates {@code model} on {@code data} (already in the model's layout). */
    public static Evaluation of(ProbabilityModel model, SignDataset data) {
        return of(data.labels(), data.labelsArray(), predict(model, data));
    }

    /** The most probable class of every window. */
    public static int[] predict(ProbabilityModel model, SignDataset data) {
        int c = model.metadata().labels().size();
        float[] p = model.probabilities(data.windows(), data.size());
        int[] out = new int[data.size()];
        float[] row = new float[c];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(p, i * c, row, 0, c);
            out[i] = Trainer.argmax(row);
        }
        return out;
    }

    public List<String> labels() {
        return labels;
    }

    public int count() {
        return n;
    }

    public int correct() {
        return correct;
    }

    public double accuracy() {
        return (double) correct / n;
    }

    /** {@code confusion()[truth][predicted]} (a copy). */
    public int[][] confusion() {
        int[][] r = new int[confusion.length][];
        for (int i = 0; i < r.length; i++) {
            r[i] = confusion[i].clone();
        }
        return r;
    }

    public int support(int c) {
        int s = 0;
        for (int v : confusion[c]) {
            s += v;
        }
        return s;
    }

    public int predictedCount(int c) {
        int s = 0;
        for (int[] row : confusion) {
            s += row[c];
        }
        return s;
    }

    public double precision(int c) {
        int p = predictedCount(c);
        return p == 0 ? 0 : (double) confusion[c][c] / p;
    }

    public double recall(int c) {
        int s = support(c);
        return s == 0 ? 0 : (double) confusion[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double sum = 0;
        int k = 0;
        for (int c = 0; c < labels.size(); c++) {
            if (support(c) > 0 || predictedCount(c) > 0) {
                sum += f1(c);
                k++;
            }
        }
        return k == 0 ? 0 : sum / k;
    }

    /** The summary line the CLI ends with: {@code accuracy=0.xxxx macro_f1=0.xxxx n=N}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "accuracy=%.4f macro_f1=%.4f n=%d", accuracy(), macroF1(), n);
    }

    /** Per-class precision, recall, F1 and support as a text table. */
    public String perClassTable() {
        StringBuilder sb = new StringBuilder(
                String.format(Locale.ROOT, "%-12s %9s %9s %9s %8s%n", "label", "precision", "recall", "f1", "support"));
        for (int c = 0; c < labels.size(); c++) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s %9.4f %9.4f %9.4f %8d%n",
                    labels.get(c),
                    precision(c),
                    recall(c),
                    f1(c),
                    support(c)));
        }
        return sb.toString();
    }

    /** The most frequent confusions (truth -> predicted, count), largest first. */
    public String topConfusions(int k) {
        StringBuilder sb = new StringBuilder();
        java.util.List<int[]> cells = new java.util.ArrayList<>();
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                if (i != j && confusion[i][j] > 0) {
                    cells.add(new int[] {i, j, confusion[i][j]});
                }
            }
        }
        cells.sort((a, b) -> b[2] - a[2]);
        for (int i = 0; i < Math.min(k, cells.size()); i++) {
            int[] e = cells.get(i);
            sb.append(labels.get(e[0]))
                    .append(" -> ")
                    .append(labels.get(e[1]))
                    .append(": ")
                    .append(e[2])
                    .append('\n');
        }
        return sb.length() == 0 ? "(none)\n" : sb.toString();
    }
}
