package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    /** Sessions of very different sizes, as in the shared data (705 windows down to 15). */
    private static SignDataset unevenSessions() {
        SignDataset base = Synthetic.dataset(3, 40, 6, 5);
        int[] sizes = {40, 30, 20, 12, 8, 5, 3, 2};
        int[] session = new int[base.size()];
        int i = 0;
        for (int s = 0; s < sizes.length; s++) {
            for (int k = 0; k < sizes[s]; k++) {
                session[i++] = 10 + s;
            }
        }
        assertEquals(base.size(), i);
        return new SignDataset(
                base.layout(), base.sequenceLength(), base.windows(), base.labelsArray(), session, base.labels());
    }

    @Test
    void everySessionIsHeldOutExactlyOnceAndNeverTrainsItsOwnFold() {
        SignDataset data = unevenSessions();
        List<CrossValidation.Fold> folds = CrossValidation.folds(data, 3);
        assertEquals(3, folds.size());
        Set<Integer> seen = new HashSet<>();
        int[] heldOutTimes = new int[data.size()];
        for (CrossValidation.Fold f : folds) {
            for (int s : f.sessions()) {
                assertTrue(seen.add(s), "session " + s + " in two folds");
            }
            Set<Integer> held = new HashSet<>();
            for (int s : f.sessions()) {
                held.add(s);
            }
            for (int i : f.validation()) {
                assertTrue(held.contains(data.session(i)));
                heldOutTimes[i]++;
            }
            for (int i : f.train()) {
                assertFalse(held.contains(data.session(i)), "window " + i + " of a held-out session trains");
            }
            assertEquals(data.size(), f.train().length + f.validation().length);
        }
        assertEquals(8, seen.size());
        for (int t : heldOutTimes) {
            assertEquals(1, t);
        }
        // Largest first, each to the lightest fold: 40 | 30 | 20+12 ... sizes end within one session of each other.
        int[] sizes =
                folds.stream().mapToInt(f -> f.validation().length).sorted().toArray();
        assertArrayEquals(new int[] {40, 40, 40}, sizes, Arrays.toString(sizes));
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(
                    folds.get(f).sessions(),
                    CrossValidation.folds(data, 3).get(f).sessions());
        }
    }

    @Test
    void tooFewSessionsOrFoldsIsNamed() {
        SignDataset data = Synthetic.dataset(3, 6, 6, 2); // sessions 0, 1, 2
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CrossValidation.folds(data, 4));
        assertTrue(e.getMessage().contains("4 folds") && e.getMessage().contains("has 3"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> CrossValidation.folds(data, 1));
    }

    @Test
    void runPredictsEveryWindowOnceAndReportsEachFold() {
        SignDataset data = Synthetic.dataset(3, 12, 6, 9);
        TrainingConfig config =
                TrainingConfig.builder().maxEpochs(3).hidden(8, 8).threads(1).build();
        List<Integer> started = new ArrayList<>();
        CrossValidation.Report r = CrossValidation.run(data, 3, config, "sign0", true, "test", started::add);
        assertEquals(List.of(1, 2, 3), started);
        assertEquals(3, r.folds().size());
        assertEquals(data.size(), r.pooled().count());
        assertEquals(
                data.size(),
                r.folds().stream().mapToInt(f -> f.predicted().length).sum());
        for (CrossValidation.FoldResult f : r.folds()) {
            assertEquals(f.fold().validation().length, f.evaluation().count());
            assertTrue(f.ridge() != null && !Double.isNaN(f.accuracy("mirrored")));
            assertTrue(f.noSignFalseAccept() >= 0 && f.noSignFalseAccept() <= 1);
            // The recognizer's decision: the most probable sign when it reaches the threshold, else no sign.
            int c = data.labels().size();
            int noSign = data.labels().indexOf("sign0");
            for (int i = 0; i < f.predicted().length; i++) {
                float confidence = f.probabilities()[i * c + f.predicted()[i]];
                boolean recognised = f.predicted()[i] != noSign && confidence >= CrossValidation.DEFAULT_THRESHOLD;
                assertEquals(recognised ? f.predicted()[i] : noSign, f.decided()[i], "window " + i);
            }
            assertEquals(f.fold().validation().length, f.decisions().count());
        }
        String[] csv = r.predictionsCsv(data).split("\n");
        assertEquals(data.size() + 1, csv.length);
        assertTrue(csv[0].startsWith("window,session,fold,truth,predicted,confidence,reported,p:sign0,"), csv[0]);
        for (int w = 0; w < data.size(); w++) {
            String[] cells = csv[w + 1].split(",");
            assertEquals(String.valueOf(w), cells[0]);
            assertEquals(String.valueOf(data.session(w)), cells[1]);
            assertEquals(data.labels().get(data.label(w)), cells[3]);
            assertEquals(7 + data.labels().size(), cells.length);
            double sum = 0;
            for (int k = 7; k < cells.length; k++) {
                sum += Double.parseDouble(cells[k]);
            }
            assertEquals(1.0, sum, 1e-4, "probabilities of window " + w);
        }
        assertThrows(InvalidInputException.class, () -> r.predictionsCsv(Synthetic.dataset(3, 5, 6, 9)));
        assertTrue(
                r.summaryLine()
                        .matches(
                                "cv_accuracy=[01]\\.\\d{4} cv_std=0\\.\\d{4} cv_min=[01]\\.\\d{4} cv_macro_f1=[01]\\.\\d{4} folds=3"),
                r.summaryLine());
        String text = r.text();
        assertTrue(text.contains("recipe: test") && text.contains("ridge baseline") && text.contains("mirrored"), text);
        assertTrue(text.contains("decided") && text.contains("wrong decisions at threshold"), text);
        // Training is deterministic for a seed, so the whole report is too.
        assertEquals(
                text,
                CrossValidation.run(data, 3, config, "sign0", true, "test", null)
                        .text());
    }
}
