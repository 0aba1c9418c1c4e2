package io.github.kslr.examples.cli;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.train.Evaluation;
import io.github.kslr.train.OnnxProbabilityModel;
import io.github.kslr.train.PerturbationSuite;
import io.github.kslr.train.SignDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr evaluate --data DIR [--model MODEL.onnx]}: accuracy of a sign model on labelled sequences. The last
 * line is {@code accuracy=0.xxxx macro_f1=0.xxxx n=N}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a sign model on labelled landmark sequences and prints per-class precision,"
                + " recall and F1; the last line is 'accuracy=0.xxxx macro_f1=0.xxxx n=N'.",
            "DIR holds X.npy, y.npy, labels.txt and optionally session.npy. With session.npy, only the windows of"
                + " --session (default 1, the fixed validation split) are evaluated; --session -1, or a DIR without"
                + " session.npy, evaluates every window. Without --model the bundled demo model is used."})
public final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the dataset folder")
    Path data;

    @Option(names = "--model", paramLabel = "MODEL.onnx", description = "the model (default: the bundled demo model)")
    Path model;

    @Option(names = "--session", defaultValue = "1",
            description = "session to evaluate when DIR has session.npy; -1 = all (default ${DEFAULT-VALUE})")
    int session;

    @Option(names = "--perturbations", description = "also run the perturbation suite (mirrored, shift, scale,"
            + " tempo 1.3x and 0.75x)")
    boolean perturbations;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        SignDataset all = SignDataset.load(data);
        SignDataset d = all;
        if (session >= 0 && Files.isRegularFile(data.resolve("session.npy"))) {
            d = all.subset(all.indicesOfSession(session, true));
            if (d.size() == 0) {
                throw new InvalidInputException("no window of " + data + " is in session " + session);
            }
            o.println("evaluating the " + d.size() + " windows of session " + session);
        } else {
            o.println("evaluating all " + d.size() + " windows");
        }
        ModelSource source = model == null ? DemoSignModel.source(EvaluateCommand.class.getClassLoader())
                : ModelSource.ofPath(model);
        try (OnnxProbabilityModel m = new OnnxProbabilityModel(source)) {
            FeatureLayout layout = m.metadata().layout();
            int missing = d.layout().conversionTo(layout).missingColumns();
            if (missing > 0) {
                throw new InvalidInputException("the data's layout " + d.layout().name() + " lacks " + missing
                        + " of the model's input columns (" + layout.spec() + ")");
            }
            if (!d.labels().equals(m.metadata().labelNames())) {
                throw new InvalidInputException("the data's labels " + d.labels() + " differ from the model's "
                        + m.metadata().labelNames());
            }
            o.println("model: " + source.description() + ", " + m.metadata().labels().size() + " labels, layout "
                    + layout.spec());
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
}
