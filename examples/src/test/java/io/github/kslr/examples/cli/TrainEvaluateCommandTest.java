package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ModelSource;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import io.github.kslr.train.SignDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Every 6th window of the shared data (sessions kept), written as a dataset folder. */
    private static Path smallDataset(Path dir) throws Exception {
        SignDataset all = SignDataset.load(SharedFiles.require("data/asl-traduttore"));
        SignDataset d = all.subset(IntStream.range(0, all.size()).filter(i -> i % 6 == 0).toArray());
        Npy.write(dir.resolve("X.npy"), NpyArray.ofFloats(d.windows(), d.size(), d.sequenceLength(),
                d.layout().size()));
        Npy.write(dir.resolve("y.npy"), NpyArray.ofInts(d.labelsArray(), d.size()));
        int[] s = IntStream.range(0, d.size()).map(d::session).toArray();
        Npy.write(dir.resolve("session.npy"), NpyArray.ofInts(s, s.length));
        Files.writeString(dir.resolve("labels.txt"), String.join("\n", d.labels()) + "\n", StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void trainWritesModelAndReportThenEvaluateAgrees(@TempDir Path dir) throws Exception {
        Path data = smallDataset(Files.createDirectory(dir.resolve("data")));
        Path model = dir.resolve("model.onnx");
        Path report = dir.resolve("report");
        String[] t = run("train", "--data", data.toString(), "--out", model.toString(), "--report",
                report.toString(), "--epochs", "3", "--hidden", "16", "--no-baseline", "--fps", "25");
        assertEquals("0", t[0], t[2]);
        try (OnnxSignClassifier c = OnnxSignClassifier.builder().model(ModelSource.ofPath(model)).build()) {
            assertEquals(25, c.metadata().frameRate(), "--fps declares the windows' rate");
        }
        assertTrue(t[1].contains("epoch   1"), t[1]);
        for (String f : new String[] {"report.txt", "confusion.png", "curves.png", "history.csv", "model.int8.onnx"}) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        Matcher trained = lastLine(t[1]);
        String[] e = run("evaluate", "--data", data.toString(), "--model", model.toString());
        assertEquals("0", e[0], e[2]);
        assertTrue(e[1].contains("session 1"), e[1]);
        Matcher evaluated = lastLine(e[1]);
        // Same model, same session: the same numbers.
        assertEquals(trained.group(0), evaluated.group(0));
    }

    @Test
    void evaluateWithoutModelUsesTheBundledDemoModel() {
        String[] e = run("evaluate", "--data", SharedFiles.require("data/asl-traduttore").toString());
        assertEquals("0", e[0], e[2]);
        Matcher m = lastLine(e[1]);
        assertEquals("705", m.group(3));
        assertTrue(Double.parseDouble(m.group(1)) >= 0.99, e[1]);
    }

    @Test
    void evaluateExplainsAMissingDataset(@TempDir Path dir) {
        String[] e = run("evaluate", "--data", dir.toString());
        assertNotEquals("0", e[0]);
        assertTrue(e[2].contains("X.npy"), e[2]);
    }
}
