package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ModelSource;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.train.SignDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainEvaluateCommandTest {

    private static final Pattern SUMMARY = Pattern.compile("accuracy=(\\d\\.\\d{4}) macro_f1=(\\d\\.\\d{4}) n=(\\d+)");

    private static Matcher lastLine(String out) {
        String[] lines = out.strip().split("\n");
        Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), "last line: " + lines[lines.length - 1]);
        return m;
    }

    @TempDir
    static Path smallDatasets;

    private static Path small;

    /**
     * Every 6th window of the shared data (sessions kept), written as a dataset folder once for the tests that read it
     * (none writes into it).
     */
    private static synchronized Path smallDataset() throws Exception {
        if (small == null) {
            small = writeSmallDataset(smallDatasets);
        }
        return small;
    }

    private static Path writeSmallDataset(Path parent) throws Exception {
        Path dir = Files.createDirectory(parent.resolve("data"));
        SignDataset all = SignDataset.load(SharedFiles.require("data/asl-traduttore"));
        SignDataset d = all.subset(
                IntStream.range(0, all.size()).filter(i -> i % 6 == 0).toArray());
        Npy.write(
                dir.resolve("X.npy"),
                NpyArray.ofFloats(
                        d.windows(), d.size(), d.sequenceLength(), d.layout().size()));
        Npy.write(dir.resolve("y.npy"), NpyArray.ofInts(d.labelsArray(), d.size()));
        int[] s = IntStream.range(0, d.size()).map(d::session).toArray();
        Npy.write(dir.resolve("session.npy"), NpyArray.ofInts(s, s.length));
        Files.writeString(dir.resolve("labels.txt"), String.join("\n", d.labels()) + "\n", StandardCharsets.UTF_8);
        return dir;
    }

    /** {@code kslr COMMAND --data DATA ARGS...}. */
    private static String[] onData(String command, Path data, String... args) {
        return run(command, List.of("--data", data.toString()), args);
    }

    /** {@code kslr COMMAND --data DATA --epochs EPOCHS --hidden 16 ARGS...}: a network small enough for a test. */
    private static String[] tiny(String command, Path data, int epochs, String... args) {
        return run(
                command,
                List.of("--data", data.toString(), "--epochs", Integer.toString(epochs), "--hidden", "16"),
                args);
    }

    @Test
    void trainWritesModelAndReportThenEvaluateAgrees(@TempDir Path dir) throws Exception {
        Path data = smallDataset();
        Path model = dir.resolve("model.onnx");
        Path report = dir.resolve("report");
        String[] t = tiny(
                "train",
                data,
                3,
                "--out",
                model.toString(),
                "--report",
                report.toString(),
                "--no-baseline",
                "--fps",
                "25");
        assertEquals("0", t[0], t[2]);
        try (OnnxSignClassifier c =
                OnnxSignClassifier.builder().model(ModelSource.ofPath(model)).build()) {
            assertEquals(25, c.metadata().frameRate(), "--fps declares the windows' rate");
        }
        assertTrue(t[1].contains("epoch   1"), t[1]);
        for (String f : new String[] {"report.txt", "confusion.png", "curves.png", "history.csv", "model.int8.onnx"}) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        Matcher trained = lastLine(t[1]);
        String[] e = onData("evaluate", data, "--model", model.toString());
        assertSucceeded(e, "session 1");
        Matcher evaluated = lastLine(e[1]);
        // Same model, same session: the same numbers.
        assertEquals(trained.group(0), evaluated.group(0));
    }

    @Test
    void evaluateWithoutModelUsesTheBundledDemoModel() {
        String[] e = run(
                "evaluate", "--data", SharedFiles.require("data/asl-traduttore").toString());
        assertEquals("0", e[0], e[2]);
        Matcher m = lastLine(e[1]);
        assertEquals("705", m.group(3));
        assertTrue(Double.parseDouble(m.group(1)) >= 0.99, e[1]);
    }

    @Test
    void evaluateExplainsAMissingDataset(@TempDir Path dir) {
        String[] e = run("evaluate", "--data", dir.toString());
        assertRefused(e, "X.npy");
    }

    /** --cv: one line a fold in cv.txt, and the cross-validation summary line before the model is trained. */
    @Test
    void trainCrossValidatesOverSessions(@TempDir Path dir) throws Exception {
        Path data = smallDataset();
        Path report = dir.resolve("report");
        String[] t = tiny(
                "train",
                data,
                2,
                "--out",
                dir.resolve("m.onnx").toString(),
                "--report",
                report.toString(),
                "--cv",
                "3",
                "--session",
                "-1");
        assertEquals("0", t[0], t[2]);
        String cv = Files.readString(report.resolve("cv.txt"));
        assertTrue(cv.contains("3 folds") && cv.contains("ridge baseline"), cv);
        String[] lines = cv.strip().split("\n");
        assertTrue(
                lines[lines.length - 1].matches("cv_accuracy=\\d\\.\\d{4} cv_std=\\d\\.\\d{4}"
                        + " cv_min=\\d\\.\\d{4} cv_macro_f1=\\d\\.\\d{4} folds=3"),
                lines[lines.length - 1]);
        assertTrue(t[1].contains(lines[lines.length - 1]), t[1]);
        assertTrue(Files.readString(report.resolve("cv-predictions.csv")).startsWith("window,session,fold,truth,"));
    }

    /** --cv-only: the cross-validation report and no model; without --cv it is refused, and --out is otherwise due. */
    @Test
    void cvOnlyTrainsNoModel(@TempDir Path dir) throws Exception {
        Path data = smallDataset();
        Path report = dir.resolve("report");
        String[] t = onData(
                "train",
                data,
                "--report",
                report.toString(),
                "--epochs",
                "1",
                "--hidden",
                "8",
                "--cv",
                "2",
                "--cv-only",
                "--no-baseline");
        assertEquals("0", t[0], t[2]);
        assertTrue(Files.exists(report.resolve("cv.txt")) && Files.exists(report.resolve("cv-predictions.csv")));
        assertTrue(t[1].strip().endsWith("folds=2"), t[1]);
        assertFalse(t[1].contains("trained in"), t[1]);
        String[] noCv = onData("train", data, "--report", report.toString(), "--cv-only");
        assertRefused(noCv, "--cv-only needs --cv");
        String[] noOut = onData("train", data, "--report", report.toString());
        assertRefused(noOut, "--out");
    }

    /** train-embedder leaves the excluded labels out of the embedder's metadata; few-shot ends with its lines. */
    @Test
    void trainEmbedderAndFewShot(@TempDir Path dir) throws Exception {
        Path data = smallDataset();
        Path emb = dir.resolve("emb.onnx");
        String[] t = tiny("train-embedder", data, 2, "--out", emb.toString(), "--exclude-labels", "coffee,tea");
        assertSucceeded(t, "31 labels, embedding size 32");
        try (ai.onnxruntime.OrtSession s = ai.onnxruntime.OrtEnvironment.getEnvironment()
                .createSession(emb.toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
            io.github.kslr.api.SignEmbedderMetadata m = io.github.kslr.api.SignEmbedderMetadata.fromProperties(
                    s.getMetadata().getCustomMetadata(), emb.toString());
            assertFalse(m.model().labelNames().contains("coffee"));
            assertEquals(32, m.embeddingSize());
        }
        String[] bad = onData("train-embedder", data, "--out", emb.toString(), "--exclude-labels", "no-such-label");
        assertRefused(bad, "no-such-label");

        String[] f = tiny("few-shot", data, 2, "--draws", "1", "--shots", "1,2");
        assertEquals("0", f[0], f[2]);
        String[] lines = f[1].strip().split("\n");
        for (int i = 0; i < 2; i++) {
            String line = lines[lines.length - 2 + i];
            assertTrue(
                    line.matches("shots=" + (i + 1) + " accuracy=\\d\\.\\d{4} macro_f1=\\d\\.\\d{4}"
                            + " false_accept=\\d\\.\\d{4} rejected=\\d\\.\\d{4} closed_set=\\d\\.\\d{4}"),
                    line);
        }
        // Takes from two sessions (people): the report says so; fewer shots than sessions are refused by name.
        assertSucceeded(
                tiny("few-shot", data, 2, "--draws", "1", "--shots", "2", "--enrol-sessions", "2"),
                "2 sessions (the takes split between them) enrolled",
                "sessions drawn a sign: 2 (takes from the first 2)");
        assertRefused(tiny("few-shot", data, 1, "--shots", "1", "--enrol-sessions", "2"), "at least 2, was 1");
        // Unseen negatives and comparison rules: their figures before the same last lines.
        String[] u = tiny(
                "few-shot",
                data,
                2,
                "--draws",
                "1",
                "--shots",
                "2",
                "--unseen-negatives",
                "--compare-thresholds",
                "0.7",
                "--background",
                "NO_SIGN");
        assertSucceeded(
                u,
                "2-shot: accuracy ",
                "unseen signs ",
                "2-shot, no-sign bg 0.70/-0.10: accuracy ",
                "2-shot, threshold 0.70: accuracy ");
        String[] ul = u[1].strip().split("\n");
        assertTrue(
                ul[ul.length - 1].matches("shots=2 accuracy=\\d\\.\\d{4} macro_f1=\\d\\.\\d{4}"
                        + " false_accept=\\d\\.\\d{4} rejected=\\d\\.\\d{4} closed_set=\\d\\.\\d{4}"),
                ul[ul.length - 1]);
        assertTrue(ul[ul.length - 2].startsWith("threshold only: shots=2 "), ul[ul.length - 2]);
    }

    /**
     * An ensemble embedder ({@code --ensemble 2}): twice the embedding, in its metadata, and the runtime follows it
     * (enrol and evaluate with it); few-shot trains its fold embedders as ensembles too.
     */
    @Test
    void ensembleEmbedderIsEnrolledAndEvaluatedAndFewShotUsesIt(@TempDir Path dir) throws Exception {
        Path data = smallDataset();
        Path emb = dir.resolve("emb.onnx");
        String[] t = tiny("train-embedder", data, 1, "--out", emb.toString(), "--ensemble", "2");
        assertSucceeded(t, "33 labels, embedding size 64");
        Path vocab = dir.resolve("v.vocab");
        // enrol and evaluate read the same vocabulary, embedder and data.
        List<String> taught =
                List.of("--vocabulary", vocab.toString(), "--embedder", emb.toString(), "--data", data.toString());
        String[] e = run("enrol", taught, "--labels", "coffee,tea", "--shots", "2");
        assertEquals("0", e[0], e[2]);
        String[] ev = run("evaluate", taught, "--session", "-1");
        assertEquals("0", ev[0], ev[2]);
        String[] lines = ev[1].strip().split("\n");
        assertTrue(
                lines[lines.length - 1].matches("accuracy=\\d\\.\\d{4} macro_f1=\\d\\.\\d{4} n=\\d+"
                        + " false_accept=\\d\\.\\d{4} rejected=\\d\\.\\d{4}"),
                lines[lines.length - 1]);
        String[] f = tiny("few-shot", data, 1, "--draws", "1", "--shots", "2", "--ensemble", "2");
        assertSucceeded(f, "ensemble=2");
    }

    /** Teach three signs with the bundled embedder, look after the vocabulary, evaluate it; bad input is named. */
    @Test
    void enrolVocabularyAndEvaluateWithTheBundledEmbedder(@TempDir Path dir) throws Exception {
        String data = SharedFiles.require("data/asl-traduttore").toString();
        Path vocab = dir.resolve("signs.vocab");
        List<String> signs = List.of("--vocabulary", vocab.toString(), "--data", data);
        String[] e = run("enrol", signs, "--labels", "coffee,tea,hello", "--shots", "5");
        assertSucceeded(e, "taught 'coffee': 5 takes from session 0");
        String[] more = run("enrol", signs, "--labels", "coffee", "--shots", "3", "--session", "1");
        assertSucceeded(more, "added to 'coffee'", "3 signs");
        String[] list = run("vocabulary", "list", vocab.toString());
        assertTrue(list[1].contains("coffee\tcoffee\t\t8 takes") && list[1].contains("3 signs"), list[1]);
        String[] ev = run("evaluate", signs, "--session", "-1");
        assertEquals("0", ev[0], ev[2]);
        String[] lines = ev[1].strip().split("\n");
        java.util.regex.Matcher m = Pattern.compile("accuracy=(\\d\\.\\d{4}) macro_f1=\\d\\.\\d{4} n=3224"
                        + " false_accept=(\\d\\.\\d{4}) rejected=\\d\\.\\d{4}")
                .matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), lines[lines.length - 1]);
        // The bundled embedder was trained on these very labels: an easy test, not the few-shot protocol.
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, ev[1]);
        assertEquals("0", run("vocabulary", "rename", vocab.toString(), "tea", "chai")[0]);
        assertEquals("0", run("vocabulary", "remove", vocab.toString(), "hello")[0]);
        assertTrue(run("vocabulary", "list", vocab.toString())[1].contains("chai"));
        String[] missing = run("vocabulary", "remove", vocab.toString(), "hello");
        assertRefused(missing, "no sign 'hello'");
        String[] one = run("enrol", signs, "--labels", "water", "--shots", "1");
        assertRefused(one, "at least 2 takes");
        String[] dash = run("enrol", signs, "--labels", "-");
        assertRefused(dash, "means no sign");
        String[] unknown = run("enrol", signs, "--labels", "zebra");
        assertRefused(unknown, "zebra");
    }
}
