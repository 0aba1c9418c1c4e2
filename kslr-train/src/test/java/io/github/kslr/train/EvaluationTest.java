package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void metricsAgreeWithADirectCountingReference() {
        List<String> labels = List.of("a", "b", "c", "d");
        Random r = new Random(4);
        int n = 500;
        int[] truth = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextInt(3); // "d" never occurs in the truth...
            pred[i] = r.nextDouble() < 0.7 ? truth[i] : r.nextInt(4); // ...but is sometimes predicted
        }
        Evaluation e = Evaluation.of(labels, truth, pred);
        // Reference: counts straight from the arrays, per class.
        double f1Sum = 0;
        int used = 0;
        int correct = 0;
        for (int c = 0; c < 4; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < n; i++) {
                tp += truth[i] == c && pred[i] == c ? 1 : 0;
                fp += truth[i] != c && pred[i] == c ? 1 : 0;
                fn += truth[i] == c && pred[i] != c ? 1 : 0;
            }
            correct += tp;
            double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double rc = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            double f1 = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
            assertEquals(p, e.precision(c), 1e-12);
            assertEquals(rc, e.recall(c), 1e-12);
            assertEquals(f1, e.f1(c), 1e-12);
            if (tp + fp + fn > 0) {
                f1Sum += f1;
                used++;
            }
        }
        assertEquals(4, used);
        assertEquals((double) correct / n, e.accuracy(), 1e-12);
        assertEquals(f1Sum / used, e.macroF1(), 1e-12);
        assertTrue(e.summaryLine().matches("accuracy=0\\.\\d{4} macro_f1=0\\.\\d{4} n=500"), e.summaryLine());
        assertTrue(e.perClassTable().contains("precision"));
    }

    @Test
    void perfectPredictionsAndBadInput() {
        Evaluation e = Evaluation.of(List.of("x", "y"), new int[] {0, 1, 1}, new int[] {0, 1, 1});
        assertEquals(1.0, e.accuracy());
        assertEquals(1.0, e.macroF1());
        assertEquals("(none)\n", e.topConfusions(3));
        assertThrows(InvalidInputException.class, () -> Evaluation.of(List.of("x"), new int[] {0}, new int[] {1}));
        assertThrows(InvalidInputException.class, () -> Evaluation.of(List.of("x"), new int[] {0}, new int[0]));
    }
}
