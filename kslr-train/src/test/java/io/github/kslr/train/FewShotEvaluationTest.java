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
        return run(
                data,
                seed,
                new int[] {1, 2},
                FewShotEvaluation.Enrolment.ONE_SESSION,
                unseenNegatives,
                mirroredTest,
                mirroredTakes);
    }

    private static FewShotEvaluation.Report run(
            SignDataset data,
            long seed,
            int[] shots,
            FewShotEvaluation.Enrolment enrolment,
            boolean unseenNegatives,
            boolean mirroredTest,
            boolean mirroredTakes) {
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
                shots,
                1,
                enrolment,
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

    /**
     * Takes from one or two of two drawn sessions (people): each taught sign is tested on the session not drawn, the
     * same windows for both, and a sign recorded in fewer than three sessions is not taught.
     */
    @Test
    void takesFromOneOrTwoDrawnSessionsAreTestedOnTheSameWindowsAndLabelsWithFewerSessionsAreNotTaught() {
        // Synthetic: 9 windows a sign, 3 in each of sessions 0, 1 and 2; sign5 moved to sessions 0 and 1 only.
        SignDataset three = Synthetic.dataset(6, 9, 8, 3);
        int[] y = new int[three.size()];
        int[] session = new int[three.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = three.label(i);
            session[i] = y[i] == 5 ? i % 2 : three.session(i);
        }
        SignDataset data =
                new SignDataset(three.layout(), three.sequenceLength(), three.windows(), y, session, three.labels());
        FewShotEvaluation.Report two =
                run(data, 7, new int[] {2, 3}, new FewShotEvaluation.Enrolment(2, 2), false, false, false);
        FewShotEvaluation.Report one =
                run(data, 7, new int[] {2, 3}, new FewShotEvaluation.Enrolment(1, 2), false, false, false);
        assertEquals(two.outcomes().size(), one.outcomes().size());
        for (int i = 0; i < two.outcomes().size(); i++) {
            FewShotEvaluation.SignCounts a = two.outcomes().get(i).signs();
            FewShotEvaluation.SignCounts b = one.outcomes().get(i).signs();
            assertFalse(a.taughtWindows().containsKey("sign5"), a.toString());
            // Two of three sessions drawn leave one to test: 3 windows a sign, the same for both enrolments.
            a.taughtWindows().forEach((sign, n) -> assertEquals(3, n, sign));
            assertEquals(a.taughtWindows(), b.taughtWindows());
        }
        assertNotEquals(figures(two), figures(one), "other takes, other prototypes");
        assertTrue(
                two.text()
                        .startsWith("few-shot protocol: 2 folds of unseen labels, 2 sessions (the takes split"
                                + " between them) enrolled"),
                two.text());
        assertTrue(one.text().contains("sessions drawn a sign: 2 (takes from the first 1)"), one.text());
        assertTrue(one.text().contains("only labels recorded in at least 3 sessions are taught"), one.text());
        // The protocol's own enrolment teaches every sign, sign5 included, and tests on both other sessions.
        FewShotEvaluation.Report own = run(data, false, false);
        assertFalse(own.text().contains("sessions drawn a sign"), own.text());
        assertTrue(
                own.outcomes().stream().anyMatch(o -> o.signs().taughtWindows().containsKey("sign5")));
        own.outcomes()
                .forEach(o -> o.signs().taughtWindows().forEach((sign, n) -> {
                    if (!sign.equals("sign5")) {
                        assertEquals(6, n, sign);
                    }
                }));
        assertThrows(
                InvalidInputException.class,
                () -> FewShotEvaluation.Report.pooledClosingLines(List.of(two, one)),
                "runs of different enrolments are not pooled");
    }

    @Test
    void enrolmentsThatCannotBeTestedAreRefusedByName() {
        SignDataset data = Synthetic.dataset(6, 9, 8, 3);
        assertThrows(InvalidInputException.class, () -> new FewShotEvaluation.Enrolment(0, 1));
        assertThrows(InvalidInputException.class, () -> new FewShotEvaluation.Enrolment(2, 1), "more than drawn");
        InvalidInputException oneTake = assertThrows(
                InvalidInputException.class,
                () -> run(data, 7, new int[] {1, 2}, new FewShotEvaluation.Enrolment(2, 2), false, false, false));
        assertTrue(oneTake.getMessage().contains("at least 2, was 1"), oneTake.getMessage());
        InvalidInputException noLabel = assertThrows(
                InvalidInputException.class,
                () -> run(data, 7, new int[] {3}, new FewShotEvaluation.Enrolment(1, 3), false, false, false));
        assertTrue(noLabel.getMessage().contains("labels with at least 4 sessions"), noLabel.getMessage());
    }
}
