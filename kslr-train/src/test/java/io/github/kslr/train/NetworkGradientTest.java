package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every parameter's analytic gradient against central finite differences. */
class NetworkGradientTest {

    /**
     * Moves every parameter by 0.1 N(0, 1) in place (biases start at 0: this exercises their gradients away from
     * symmetric points), then draws an input window of N(0, 1) values from the same generator.
     */
    private static float[] nudgeAndDrawInput(float[] params, NetworkShape shape, Random r) {
        for (int i = 0; i < params.length; i++) {
            params[i] += 0.1f * (float) r.nextGaussian();
        }
        float[] u = new float[shape.frames() * shape.inputSize()];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) r.nextGaussian();
        }
        return u;
    }

    /**
     * The gradients in {@code grad} that disagree with central differences of {@code loss} (eps 1e-3) by more than
     * 1e-3 + 1 % of the numeric value, a line each; every parameter is restored after its two evaluations.
     */
    private static List<String> disagreements(float[] params, float[] grad, DoubleSupplier loss) {
        List<String> off = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            float saved = params[i];
            float eps = 1e-3f;
            params[i] = saved + eps;
            double plus = loss.getAsDouble();
            params[i] = saved - eps;
            double minus = loss.getAsDouble();
            params[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            if (Math.abs(numeric - grad[i]) > 1e-3 + 1e-2 * Math.abs(numeric)) {
                off.add(String.format("param %d: analytic %.6f numeric %.6f%n", i, grad[i], numeric));
            }
        }
        return off;
    }

    /** Without a cosine head, with one, and with one trained with an additive cosine margin (CosFace). */
    @ParameterizedTest(name = "cosine head: {0}, margin {1}")
    @CsvSource({"false, 0", "true, 0", "true, 0.2"})
    void everyGradientMatchesFiniteDifferences(boolean cosine, float margin) {
        NetworkShape shape = new NetworkShape(5, 6, 7, 5, 4);
        TemporalConvNetwork plain = new TemporalConvNetwork(shape, 3, cosine);
        TemporalConvNetwork net = margin > 0 ? plain.withCosineMargin(margin) : plain;
        float[] params = net.parameters();
        float[] u = nudgeAndDrawInput(params, shape, new Random(11));
        u[3] = 0f; // a zero input (skipped in the loops) must still be handled
        int label = 2;
        float smoothing = 0.1f;
        float dropout = 0.3f;
        long dropSeed = 99;
        TemporalConvNetwork.Workspace ws = new TemporalConvNetwork.Workspace(shape);
        float[] grad = new float[params.length];
        net.forward(u, 0, ws, dropout, new Random(dropSeed));
        net.backward(u, 0, ws, label, smoothing, grad);

        List<String> off = disagreements(params, grad, () -> lossAt(net, u, ws, label, smoothing, dropout, dropSeed));
        int checked = params.length;
        assertEquals(net.parameterCount(), checked);
        // A ReLU or max-pool kink inside +-eps can spoil a handful of central differences; none may be off otherwise.
        assertTrue(
                off.size() <= checked / 100,
                off.size() + " of " + checked + " gradients disagree:\n" + String.join("", off));
        if (margin > 0) {
            // The margin lowers the true class's logit in the loss only: a larger loss, the same probabilities.
            TemporalConvNetwork none = plain.withParameters(params);
            TemporalConvNetwork.Workspace ws0 = new TemporalConvNetwork.Workspace(shape);
            double without = lossAt(none, u, ws0, label, smoothing, dropout, dropSeed);
            double with = lossAt(net, u, ws, label, smoothing, dropout, dropSeed);
            assertTrue(with > without + 0.01, with + " vs " + without);
            assertArrayEquals(ws0.probabilities(), ws.probabilities(), 0f);
        }
        // The check means something only if every parameter group receives gradient.
        int[] groups = {net.oW1, net.oB1, net.oW2, net.oB2, net.oW3, net.oB3, net.parameterCount()};
        for (int g = 0; g + 1 < groups.length; g++) {
            // A cosine head has no bias (the last group).
            assertTrue(
                    nonZero(grad, groups[g], groups[g + 1]) > 0 == !(cosine && g == 5),
                    "group " + g + " has " + nonZero(grad, groups[g], groups[g + 1]) + " non-zero gradients");
        }
    }

    @Test
    void everyLstmGradientMatchesFiniteDifferences() {
        LstmNetwork net = new LstmNetwork(new NetworkShape(4, 5, 4, 3, 3), 8);
        assertEveryGradientMatches(net, new Random(12), -1, new int[] {
            net.oWx1,
            net.oWh1,
            net.oB1,
            net.oWx2,
            net.oWh2,
            net.oB2,
            net.oW3,
            net.oB3,
            net.oW4,
            net.oB4,
            net.parameterCount()
        });
    }

    @Test
    void everyConvAttentionGradientMatchesFiniteDifferences() {
        // Frames longer than the kernel, so that the convolution has edges and a full middle.
        ConvAttentionNetwork net = new ConvAttentionNetwork(new NetworkShape(7, 5, 6, 4, 3), 8);
        assertEveryGradientMatches(net, new Random(13), 2, new int[] {
            net.oW1,
            net.oB1,
            net.oWd,
            net.oBd,
            net.oWp,
            net.oBp,
            net.oWq,
            net.oWk,
            net.oWv,
            net.oWo,
            net.oW3,
            net.oB3,
            net.parameterCount()
        });
    }

    /**
     * Nudges {@code net}'s parameters, draws an input (zero at {@code zeroInput} unless it is -1: zero inputs are
     * skipped in the loops) and checks every gradient of a forward pass with dropout 0.25 against finite differences,
     * and that each parameter group (offsets in {@code groups}, the parameter count last) gets some.
     */
    private static void assertEveryGradientMatches(SequenceNetwork net, Random r, int zeroInput, int[] groups) {
        float[] params = net.parameters();
        float[] u = nudgeAndDrawInput(params, net.shape(), r);
        if (zeroInput >= 0) {
            u[zeroInput] = 0f;
        }
        SequenceNetwork.Scratch ws = net.newScratch();
        float[] grad = new float[params.length];
        net.forward(u, 0, ws, 0.25f, new Random(5));
        net.backward(u, 0, ws, 1, 0.1f, grad);
        List<String> off = disagreements(params, grad, () -> {
            net.forward(u, 0, ws, 0.25f, new Random(5));
            return net.loss(ws, 1, 0.1f);
        });
        assertTrue(
                off.size() <= params.length / 100,
                off.size() + " of " + params.length + " disagree:\n" + String.join("", off));
        for (int g = 0; g + 1 < groups.length; g++) {
            assertTrue(nonZero(grad, groups[g], groups[g + 1]) > 0, "group " + g + " has no gradient");
        }
    }

    @Test
    void gradientsAccumulateAcrossCalls() {
        NetworkShape shape = new NetworkShape(4, 3, 4, 4, 3);
        TemporalConvNetwork net = new TemporalConvNetwork(shape, 5);
        float[] u = new float[12];
        for (int i = 0; i < u.length; i++) {
            u[i] = i * 0.1f - 0.5f;
        }
        TemporalConvNetwork.Workspace ws = new TemporalConvNetwork.Workspace(shape);
        float[] once = new float[net.parameterCount()];
        net.forward(u, 0, ws, 0f, null);
        net.backward(u, 0, ws, 1, 0f, once);
        float[] twice = new float[net.parameterCount()];
        for (int k = 0; k < 2; k++) {
            net.forward(u, 0, ws, 0f, null);
            net.backward(u, 0, ws, 1, 0f, twice);
        }
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-6, "parameter " + i);
        }
    }

    private static double lossAt(
            TemporalConvNetwork net,
            float[] u,
            TemporalConvNetwork.Workspace ws,
            int label,
            float smoothing,
            float dropout,
            long dropSeed) {
        net.forward(u, 0, ws, dropout, new Random(dropSeed));
        return net.loss(ws, label, smoothing);
    }

    private static int nonZero(float[] a, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += a[i] != 0f ? 1 : 0;
        }
        return n;
    }
}
