package io.github.kslr.examples.cli;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.Prediction;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.VocabularySignClassifier;
import io.github.kslr.train.Evaluation;
import io.github.kslr.train.OnnxProbabilityModel;
import io.github.kslr.train.PerturbationSuite;
import io.github.kslr.train.SignDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr evaluate --data DIR [--model MODEL.onnx]}: accuracy of a sign model on labelled sequences. The last
 * line is {@code accuracy=0.xxxx macro_f1=0.xxxx n=N}.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a sign model on labelled landmark sequences and prints per-class precision,"
                    + " recall and F1; the last line is 'accuracy=0.xxxx macro_f1=0.xxxx n=N'.",
            "DIR holds X.npy, y.npy, labels.txt and optionally session.npy. With session.npy, only the windows of"
                    + " --session (default 1, the fixed validation split) are evaluated; --session -1, or a DIR without"
                    + " session.npy, evaluates every window. Without --model the bundled demo model is used.",
            "With --vocabulary V, the taught signs are evaluated instead: windows whose label is in V are scored as"
                    + " classification (a rejection counts as an error), windows of any other label must be rejected;"
                    + " the last line is 'accuracy=0.xxxx macro_f1=0.xxxx n=N false_accept=0.xxxx rejected=0.xxxx'"
                    + " (accuracy and macro-F1 over the taught signs' windows, false_accept = share of the other windows"
                    + " given a sign, rejected = share of taught signs' windows given none, N = windows evaluated)."
        })
public final class EvaluateCommand extends CommandBase {

    @CommandLine.Mixin
    DatasetOptions data = new DatasetOptions();

    @Option(names = "--model", paramLabel = "MODEL.onnx", description = "the model (default: the bundled demo model)")
    Path model;

    @Option(
            names = "--session",
            defaultValue = "1",
            description = "session to evaluate when DIR has session.npy; -1 = all (default ${DEFAULT-VALUE})")
    int session;

    @Option(names = "--vocabulary", paramLabel = "V", description = "evaluate the signs of this vocabulary file")
    Path vocabulary;

    @CommandLine.Mixin
    VocabularyEmbedderOptions embedder = new VocabularyEmbedderOptions();

    @Option(
            names = "--perturbations",
            description = "also run the perturbation suite (mirrored, shift, scale," + " tempo 1.3x and 0.75x)")
    boolean perturbations;

    @Override
    public Integer call() {
        PrintWriter o = out();
        SignDataset all = SignDataset.load(data.dir);
        SignDataset d = all;
        if (session >= 0 && Files.isRegularFile(data.dir.resolve("session.npy"))) {
            d = all.subset(all.indicesOfSession(session, true));
            if (d.size() == 0) {
                throw new InvalidInputException("no window of " + data.dir + " is in session " + session);
            }
            o.println("evaluating the " + d.size() + " windows of session " + session);
        } else {
            o.println("evaluating all " + d.size() + " windows");
        }
        if (vocabulary != null) {
            return evaluateVocabulary(o, d);
        }
        ModelSource source = model == null
                ? DemoSignModel.source(EvaluateCommand.class.getClassLoader())
                : ModelSource.ofPath(model);
        try (OnnxProbabilityModel m = new OnnxProbabilityModel(source)) {
            FeatureLayout layout = m.metadata().layout();
            int missing = d.layout().conversionTo(layout).missingColumns();
            if (missing > 0) {
                throw new InvalidInputException(
                        "the data's layout " + d.layout().name() + " lacks " + missing
                                + " of the model's input columns (" + layout.spec() + ")");
            }
            if (!d.labels().equals(m.metadata().labelNames())) {
                throw new InvalidInputException("the data's labels " + d.labels() + " differ from the model's "
                        + m.metadata().labelNames());
            }
            o.println("model: " + source.description() + ", "
                    + m.metadata().labels().size() + " labels, layout " + layout.spec());
            SignDataset inModelLayout = d.convertTo(layout);
            Evaluation e = Evaluation.of(m, inModelLayout);
            o.print(e.perClassTable());
            o.print("most frequent confusions:\n" + e.topConfusions(10));
            if (perturbations) {
                // In the model's layout: the only columns the model reads, and one that always mirrors.
                o.print(PerturbationSuite.table(PerturbationSuite.run(inModelLayout, PerturbationSuite.predictor(m))));
            }
            o.println(e.summaryLine());
        }
        return 0;
    }

    private int evaluateVocabulary(PrintWriter o, SignDataset d) {
        try (OnnxSignEmbedder emb = embedder.open();
                VocabularySignClassifier c = VocabularySignClassifier.builder(
                                emb, SignVocabulary.load(vocabulary, emb.metadata()))
                        .build()) {
            List<String> taught = c.metadata()
                    .labelNames()
                    .subList(1, c.metadata().labelNames().size());
            SignDataset in = d.convertTo(c.metadata().layout());
            List<Prediction> p = c.classifyBatch(in.windows(), in.size());
            int n = taught.size();
            int[] tp = new int[n];
            int[] fp = new int[n];
            int[] fn = new int[n];
            int positives = 0;
            int correct = 0;
            int rejected = 0;
            int negatives = 0;
            int falseAccepts = 0;
            for (int i = 0; i < p.size(); i++) {
                int truth = taught.indexOf(d.labels().get(d.label(i)));
                Prediction pr = p.get(i);
                int said = pr.recognized() ? taught.indexOf(pr.label()) : -1;
                if (truth >= 0) {
                    positives++;
                    if (said == truth) {
                        correct++;
                        tp[truth]++;
                    } else {
                        fn[truth]++;
                        rejected += said < 0 ? 1 : 0;
                        if (said >= 0) {
                            fp[said]++;
                        }
                    }
                } else {
                    negatives++;
                    if (said >= 0) {
                        falseAccepts++;
                        fp[said]++;
                    }
                }
            }
            double f1 = 0;
            for (int k = 0; k < n; k++) {
                double denom = 2.0 * tp[k] + fp[k] + fn[k];
                f1 += denom == 0 ? 0 : 2.0 * tp[k] / denom;
            }
            o.printf(
                    Locale.ROOT,
                    "vocabulary %s: %d signs, threshold %.4f, margin %.4f over %d background prototypes;"
                            + " %d windows of taught signs, %d others%n",
                    vocabulary,
                    n,
                    c.threshold(),
                    c.rejection().margin(),
                    c.rejection().backgroundCount(),
                    positives,
                    negatives);
            o.printf(
                    Locale.ROOT,
                    "accuracy=%.4f macro_f1=%.4f n=%d false_accept=%.4f rejected=%.4f%n",
                    positives == 0 ? 0 : (double) correct / positives,
                    n == 0 ? 0 : f1 / n,
                    p.size(),
                    negatives == 0 ? 0 : (double) falseAccepts / negatives,
                    positives == 0 ? 0 : (double) rejected / positives);
        }
        o.flush();
        return 0;
    }
}
