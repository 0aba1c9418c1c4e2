package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.recognizer.DemoSignModel;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gates on real signers ({@code ../shared/data/asl-traduttore}, validation = session 1): a model trained
 * from scratch here and the bundled demo model must each reach accuracy >= 0.99 and the ridge baseline's accuracy,
 * >= 0.98 mirrored, and lose at most 0.01 to shift, scale and both tempos.
 */
class AslTraduttoreGatesTest {

    private static final Logger LOG = LoggerFactory.getLogger(AslTraduttoreGatesTest.class);
    private static SignDataset data;
    private static SignDataset train;
    private static SignDataset validation;
    private static double ridgeAccuracy;

    @BeforeAll
    static void load() {
        Path dir = SharedFiles.require("data/asl-traduttore");
        data = SignDataset.load(dir);
        train = data.subset(data.indicesOfSession(1, false));
        validation = data.subset(data.indicesOfSession(1, true));
        List<PerturbationSuite.Outcome> ridge =
                PerturbationSuite.run(validation, RidgeBaseline.fit(train, TrainingReport.RIDGE_LAMBDA, 2)::predict);
        ridgeAccuracy = ridge.get(0).accuracy();
        LOG.info("ridge baseline on session 1:\n{}", PerturbationSuite.table(ridge));
        // The linear baseline is strong on clean data and fails on a left-handed signer.
        assertTrue(ridgeAccuracy > 0.9, "ridge " + ridgeAccuracy);
        assertTrue(
                ridge.get(1).accuracy() < 0.5, "ridge mirrored " + ridge.get(1).accuracy());
    }

    private static void assertGates(String what, List<PerturbationSuite.Outcome> o) {
        assertEquals(
                PerturbationSuite.names(),
                o.stream().map(PerturbationSuite.Outcome::name).toList());
        double clean = o.get(0).accuracy();
        assertTrue(clean >= 0.99, what + ": accuracy " + clean + " < 0.99");
        assertTrue(clean >= ridgeAccuracy, what + ": accuracy " + clean + " below the ridge baseline " + ridgeAccuracy);
        assertTrue(
                o.get(1).accuracy() >= 0.98,
                what + ": mirrored accuracy " + o.get(1).accuracy() + " < 0.98");
        for (PerturbationSuite.Outcome p : o.subList(2, o.size())) {
            assertTrue(p.delta() >= -0.01, what + ": " + p.name() + " costs " + -p.delta() + " > 0.01");
        }
    }

    @Test
    void modelTrainedFromScratchMeetsTheGates(@TempDir Path dir) throws Exception {
        // The demo model's recipe (kslr-train/demo/train-demo-model.sh) with fewer epochs and one network instead of
        // an ensemble, to keep CI short.
        TrainingConfig config = TrainingConfig.builder()
                .hidden(64, 64)
                .maxEpochs(40)
                .patience(10)
                .seed(7)
                .ensemble(1)
                .threads(2)
                .checkpointDir(dir.resolve("report/checkpoints"))
                .build();
        LabelTranslations tr = LabelTranslations.read(Path.of("demo/labels.tsv"));
        Path model = dir.resolve("model.onnx");
        Path report = dir.resolve("report");
        TrainingReport.Summary s = TrainingReport.run(data, 1, config, tr, "-", model, report, false, null);
        LOG.info(
                "trained in {} s; model\n{}int8 {}",
                s.training().seconds(),
                PerturbationSuite.table(s.perturbations()),
                s.int8().summaryLine());
        assertEquals(validation.size(), s.validationWindows());
        assertGates("trained model", s.perturbations());
        // The exported file gives the trainer's own probabilities.
        assertTrue(s.exportMaxDifference() < 1e-4, "export differs by " + s.exportMaxDifference());
        assertEquals(s.clean().accuracy(), s.perturbations().get(0).accuracy());
        // The int8 variant is a quarter of the size and loses little.
        assertTrue(s.int8Bytes() < s.modelBytes() / 2);
        assertTrue(
                s.int8().accuracy() >= s.clean().accuracy() - 0.01,
                "int8 " + s.int8().summaryLine());
        // The report.
        String text = Files.readString(report.resolve("report.txt"));
        assertTrue(text.contains(s.clean().summaryLine()), text);
        assertTrue(text.contains("coffee\tcoffee\tកាហ្វេ"), text);
        BufferedImage confusion = ImageIO.read(report.resolve("confusion.png").toFile());
        BufferedImage curves = ImageIO.read(report.resolve("curves.png").toFile());
        assertNotNull(confusion);
        assertNotNull(curves);
        assertEquals(900, confusion.getWidth());
        assertEquals(700, curves.getHeight());
        assertEquals(
                s.training().history().size() + 1,
                Files.readAllLines(report.resolve("history.csv")).size());
        assertTrue(Files.size(report.resolve("checkpoints/best.onnx")) > 0);
    }

    @Test
    void bundledDemoModelMeetsTheGates() throws Exception {
        ClassLoader loader = AslTraduttoreGatesTest.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(DemoSignModel.RESOURCE)) {
            assertNotNull(in, DemoSignModel.RESOURCE + " is not on the classpath");
            assertTrue(in.readAllBytes().length < 1_000_000, "the demo model must stay well under 1 MB");
        }
        try (OnnxProbabilityModel demo = new OnnxProbabilityModel(DemoSignModel.source(loader))) {
            SignModelMetadata m = demo.metadata();
            assertEquals(data.labels(), m.labelNames());
            assertEquals("-", m.noSignLabel());
            assertFalse(m.layout().uses(LandmarkPart.FACE), "the data has no face points");
            for (SignLabel l : m.labels()) {
                assertFalse(l.gloss().isBlank(), l.label());
                assertTrue(
                        l.khmer().codePoints().anyMatch(c -> c >= 0x1780 && c <= 0x17FF),
                        "label '" + l.label() + "' needs Khmer text, has '" + l.khmer() + "'");
            }
            assertEquals(
                    "កាហ្វេ", m.labels().get(m.labelNames().indexOf("coffee")).khmer());
            List<PerturbationSuite.Outcome> o = PerturbationSuite.run(validation, PerturbationSuite.predictor(demo));
            LOG.info("bundled demo model on session 1:\n{}", PerturbationSuite.table(o));
            assertGates("demo model", o);
        }
    }
}
