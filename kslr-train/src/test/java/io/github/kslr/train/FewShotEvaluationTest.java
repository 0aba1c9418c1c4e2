package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FewShotEvaluationTest {

    private static FewShotEvaluation.Report run(SignDataset data, boolean mirroredTest, boolean mirroredTakes) {
        return run(data, 7, mirroredTest, mirroredTakes);
    }

    private static FewShotEvaluation.Report run(
            SignDataset data, long seed, boolean mirroredTest, boolean mirroredTakes) {
        return run(data, seed, false, mirroredTest, mirroredTakes);
    }

    private static FewShotEvaluation.Report run(
            SignDataset data, long seed, boolean unseenNegatives, boolean mirroredTest, boolean mirroredTakes) {
        TrainingConfig config = TrainingConfig.embedderBuilder()
                .maxEpochs(3)
                .hidden(8, 8)
                .threads(1)
                .seed(seed)
                .build();
        return FewShotEvaluation.run(
                data,
                "",
                config,
                2,
                new int[] {1, 2},
                1,
                seed,
                FewShotEvaluation.Rule.runTime(0.5, -0.08),
                unseenNegatives,
                mirroredTest,
                mirroredTakes,
                List.of(),
                null);
    }

    /** Every outcome's figures, as text, to compare two runs figure by figure. */
    private static String figures(FewShotEvaluation.Report r) {
        return r.outcomes().stream()
                .map(o -> o.closedSetAccuracy() + " " + o.accuracy() + " " + o.falseAccept() + " " + o.rejected())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aMirroredTestScoresMirroredWindowsAgainstTheSameTakes() {
        // Each class moves the right hand along its own path (Synthetic): mirrored, the left hand moves instead.
        SignDataset data = Synthetic.dataset(6, 9, 8, 3);
        FewShotEvaluation.Report plain = run(data, false, false);
        FewShotEvaluation.Report mirrored = run(data, true, false);
        assertFalse(plain.mirroredTest());
        assertTrue(mirrored.mirroredTest());
        assertFalse(plain.text().contains("mirrored test:"), plain.text());
        assertTrue(mirrored.text().contains("mirrored test:"), mirrored.text());
        // Same folds, draws and rules (the embedders train identically for the seed) ...
        assertEquals(plain.folds(), mirrored.folds());
        assertEquals(plain.outcomes().size(), mirrored.outcomes().size());
        // ... but other windows scored.
        assertNotEquals(figures(plain), figures(mirrored));
    }

    @Test
    void mirroredTakesGiveALeftHandedSignerTheSignsTaughtWithTheRightHand() {
        SignDataset data = Synthetic.dataset(6, 9, 8, 3);
        FewShotEvaluation.Report takes = run(data, true, true);
        assertTrue(takes.mirroredTakes());
        assertTrue(takes.text().contains("mirrored takes:"), takes.text());
        assertFalse(run(data, false, false).text().contains("mirrored takes:"));
        // With the takes' mirror images enrolled, a mirrored window meets its own sign's mirrored prototype: the
        // closed set gains over the same embedders, draws and windows without them.
        FewShotEvaluation.Report without = run(data, true, false);
        double gain = 0;
        for (int i = 0; i < takes.outcomes().size(); i++) {
            gain += takes.outcomes().get(i).closedSetAccuracy()
                    - without.outcomes().get(i).closedSetAccuracy();
        }
        assertTrue(gain > 0, "closed-set gain " + gain);
    }

    /** Runs with two seeds pooled: every fold-draw-half of both counts once, in the summary lines' format. */
    @Test
    void pooledClosingLinesMeanEveryOutcomeOfEveryRun() {
        SignDataset data = Synthetic.dataset(6, 9, 8, 3);
        FewShotEvaluation.Report a = run(data, 7, false, false);
        FewShotEvaluation.Report b = run(data, 8, false, false);
        assertNotEquals(figures(a), figures(b), "each seed trains its own embedders");
        String pooled = FewShotEvaluation.Report.pooledClosingLines(List.of(a, b));
        List<String> lines = pooled.lines().toList();
        double expected = Stream.of(a, b)
                .flatMap(r -> r.outcomes().stream())
                .filter(o -> o.shots() == 2 && o.rule().equals(FewShotEvaluation.RUN_TIME))
                .mapToDouble(FewShotEvaluation.Outcome::accuracy)
                .average()
                .orElseThrow();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("shots=2 accuracy="), last);
        assertEquals(
                String.format(Locale.ROOT, "%.4f", expected),
                last.split("accuracy=")[1].split(" ")[0]);
        assertTrue(a.text().endsWith(a.summaryLine(2, true) + "\n"), "a run's text ends as the pooled lines do");
        assertThrows(InvalidInputException.class, () -> FewShotEvaluation.Report.pooledClosingLines(List.of()));
    }

    /** Sign by sign, the counts add up to each outcome's shares, and the report lists them before its last lines. */
    @Test
    void signCountsAddUpToTheRejectionsAndUnseenFalseAccepts() {
        SignDataset data = Synthetic.dataset(6, 9, 8, 3);
        FewShotEvaluation.Report r = run(data, 7, true, false, false);
        for (FewShotEvaluation.Outcome o : r.outcomes()) {
            FewShotEvaluation.SignCounts c = o.signs();
            assertTrue(c.taughtTotal() > 0 && c.unseenTotal() > 0, o.toString());
            assertEquals(o.rejected(), c.rejectedTotal() / (double) c.taughtTotal(), 1e-12, o.toString());
            assertEquals(o.unseenFalseAccept(), c.unseenAccepted() / (double) c.unseenTotal(), 1e-12, o.toString());
            // The taught signs are the enrolled half, the unseen ones the other half of the fold: never the same.
            assertTrue(c.taughtWindows().keySet().stream().noneMatch(c.unseenWindows()::containsKey), o.toString());
            c.acceptedAs()
                    .forEach((u, as) -> assertTrue(
                            c.unseenWindows().containsKey(u)
                                    && c.taughtWindows().keySet().containsAll(as.keySet()),
                            o.toString()));
        }
        String text = r.text();
        assertTrue(text.contains("1-shot taught windows rejected, by sign"), text);
        assertTrue(text.contains("2-shot unseen windows accepted: "), text);
        assertTrue(text.endsWith(r.summaryLine(2, true) + "\n"), text);
        String pooled = FewShotEvaluation.Report.pooledClosingLines(List.of(r, r));
        assertTrue(pooled.startsWith("1-shot taught windows rejected, by sign"), pooled);
        // Without unseen negatives there is no unseen line.
        assertFalse(run(data, false, false).text().contains("unseen windows accepted"));
    }
}
