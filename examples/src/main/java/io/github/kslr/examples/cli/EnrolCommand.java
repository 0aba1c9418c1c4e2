package io.github.kslr.examples.cli;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.train.SignDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr enrol --vocabulary V --data DIR --labels L1,L2 --shots K [--session S]}: teaches signs to a vocabulary
 * from windows of a dataset.
 */
@Command(name = "enrol", mixinStandardHelpOptions = true,
        description = {"Teaches signs to a vocabulary file (created when missing; enrolling into an existing one adds"
                + " to it): for each of --labels, its first --shots windows in file order of session --session"
                + " (default: the lowest session holding the label), embedded with --embedder (default: the bundled"
                + " one). A label the vocabulary has gets the takes added."})
public final class EnrolCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--vocabulary", required = true, paramLabel = "V", description = "the vocabulary file")
    Path vocabulary;

    @Option(names = "--embedder", paramLabel = "EMB.onnx", description = "sign embedder (default: the bundled one)")
    Path embedder;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the dataset folder")
    Path data;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "L1,L2,...",
            description = "the labels to teach")
    List<String> labels;

    @Option(names = "--shots", defaultValue = "5", paramLabel = "K",
            description = "windows a label (default ${DEFAULT-VALUE}; at least " + SignVocabulary.MIN_TAKES
                    + " for a new sign)")
    int shots;

    @Option(names = "--session", paramLabel = "S", description = "the session the windows come from")
    Integer session;

    @Option(names = "--no-sign-label", defaultValue = "-",
            description = "the label meaning 'no sign', which cannot be taught (default '${DEFAULT-VALUE}')")
    String noSignLabel;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        SignDataset d = SignDataset.open(data);
        try (OnnxSignEmbedder emb = VocabularyFiles.embedder(embedder)) {
            SignVocabulary v = VocabularyFiles.loadOrCreate(vocabulary, emb);
            SignDataset in = d.convertTo(emb.metadata().model().layout());
            for (String label : labels) {
                if (label.equals(noSignLabel)) {
                    throw new InvalidInputException("'" + noSignLabel + "' means no sign; it cannot be taught as one");
                }
                int c = d.labels().indexOf(label);
                if (c < 0) {
                    throw new InvalidInputException("label '" + label + "' is not in " + data + " (" + d.labels()
                            + ")");
                }
                int s = session != null ? session : IntStream.range(0, d.size()).filter(i -> d.label(i) == c)
                        .map(d::session).min().orElseThrow();
                int[] idx = IntStream.range(0, d.size()).filter(i -> d.label(i) == c && d.session(i) == s)
                        .limit(shots).toArray();
                if (idx.length < shots) {
                    throw new InvalidInputException("session " + s + " holds " + idx.length + " windows of '" + label
                            + "', fewer than --shots " + shots);
                }
                float[] takes = emb.embed(in.subset(idx).windows(), idx.length);
                boolean known = v.signs().stream().anyMatch(x -> x.label().equals(label));
                if (known) {
                    v.addTakes(label, takes, idx.length);
                } else {
                    v.add(label, "", label, takes, idx.length);
                }
                o.printf("%s '%s': %d takes from session %d%n", known ? "added to" : "taught", label, idx.length, s);
            }
            v.save(vocabulary);
            o.println("vocabulary " + vocabulary + ": " + v.signs().size() + " signs");
        }
        o.flush();
        return 0;
    }
}
