package io.github.kslr.recognizer;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.DenseWeights;
import io.github.kslr.onnx.writer.LstmWeights;
import io.github.kslr.onnx.writer.SignModelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small real models for tests, written by SignModelBuilder from ReferenceLstm's Keras-layout weights. */
final class TestModels {
    /** Left hand, landmarks 0 and 1, x y z: 6 features a frame. */
    static final FeatureLayout TINY_LAYOUT = FeatureLayout.of("left_hand:0,1:xyz");

    static final int STEPS = 5;
    static final List<String> LABELS = List.of("hello", "thanks", "-", "coffee");

    private TestModels() {}

    static SignModelMetadata metadata() {
        return SignModelMetadata.of(LABELS, TINY_LAYOUT, STEPS);
    }

    static ReferenceLstm reference(long seed) {
        return new ReferenceLstm(TINY_LAYOUT.size(), new int[] {4, 3}, new int[] {5, LABELS.size()}, seed);
    }

    static SignModelBuilder builderFor(ReferenceLstm ref, SignModelMetadata metadata) {
        List<LstmWeights> lstm = new ArrayList<>();
        int in = ref.features;
        for (int l = 0; l < ref.lstmUnits.length; l++) {
            lstm.add(LstmWeights.fromKeras(in, ref.lstmUnits[l], ref.kernel[l], ref.recurrent[l], ref.lstmBias[l]));
            in = ref.lstmUnits[l];
        }
        List<DenseWeights> dense = new ArrayList<>();
        for (int d = 0; d < ref.denseUnits.length; d++) {
            dense.add(DenseWeights.of(in, ref.denseUnits[d], ref.denseKernel[d], ref.denseBias[d]));
            in = ref.denseUnits[d];
        }
        return SignModelBuilder.builder(metadata).weights(lstm, dense);
    }

    static float[] windows(int count, long seed) {
        Random r = new Random(seed);
        float[] w = new float[count * STEPS * TINY_LAYOUT.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }
}
