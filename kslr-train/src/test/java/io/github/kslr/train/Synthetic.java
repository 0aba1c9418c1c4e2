package io.github.kslr.train;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.LandmarkPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic landmark windows for fast tests: each class moves the right hand along its own path. */
final class Synthetic {

    private Synthetic() {}

    static SignDataset dataset(int classes, int perClass, int frames, long seed) {
        FeatureLayout layout = FeatureLayout.POSE_HANDS_258;
        Random r = new Random(seed);
        int f = layout.size();
        float[] x = new float[classes * perClass * frames * f];
        int[] y = new int[classes * perClass];
        int[] session = new int[classes * perClass];
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labels.add("sign" + c);
        }
        int w = 0;
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < perClass; k++, w++) {
                y[w] = c;
                session[w] = k % 3;
                float cx = 0.5f + 0.1f * (float) r.nextGaussian();
                float cy = 0.45f + 0.05f * (float) r.nextGaussian();
                float width = 0.2f + 0.04f * r.nextFloat();
                boolean leftVisible = r.nextBoolean();
                for (int t = 0; t < frames; t++) {
                    int base = (w * frames + t) * f;
                    // Pose: points scattered around the shoulders; 11 left shoulder, 12 right shoulder.
                    for (int lm = 0; lm < 33; lm++) {
                        float px = cx + width * (float) Math.sin(lm * 1.3);
                        float py = cy + width * (float) Math.cos(lm * 0.7);
                        if (lm == 11) {
                            px = cx + width / 2;
                            py = cy;
                        } else if (lm == 12) {
                            px = cx - width / 2;
                            py = cy;
                        }
                        set(
                                x,
                                base,
                                layout,
                                LandmarkPart.POSE,
                                lm,
                                px + 0.002f * (float) r.nextGaussian(),
                                py + 0.002f * (float) r.nextGaussian(),
                                -0.1f,
                                0.99f);
                    }
                    double phase = 2 * Math.PI * t / frames;
                    float hx = cx - width * (0.3f + 0.4f * (float) Math.cos(phase * (1 + c % 3) + c));
                    float hy = cy + width * (0.5f + 0.4f * (float) Math.sin(phase * (1 + c / 3)));
                    for (int lm = 0; lm < 21; lm++) {
                        double a = c * 0.5 + lm * 0.3;
                        set(
                                x,
                                base,
                                layout,
                                LandmarkPart.RIGHT_HAND,
                                lm,
                                hx + 0.2f * width * (float) Math.cos(a) * lm / 20f,
                                hy - 0.2f * width * (float) Math.sin(a) * lm / 20f,
                                0.01f * lm,
                                0);
                        if (leftVisible) {
                            set(
                                    x,
                                    base,
                                    layout,
                                    LandmarkPart.LEFT_HAND,
                                    lm,
                                    cx + width * 0.8f + 0.01f * lm,
                                    cy + width + 0.01f * lm,
                                    0.01f * lm,
                                    0);
                        }
                    }
                }
            }
        }
        return new SignDataset(layout, frames, x, y, session, labels);
    }

    private static void set(
            float[] x,
            int base,
            FeatureLayout layout,
            LandmarkPart part,
            int lm,
            float px,
            float py,
            float pz,
            float vis) {
        x[base + layout.columnOf(part, lm, 0)] = px;
        x[base + layout.columnOf(part, lm, 1)] = py;
        x[base + layout.columnOf(part, lm, 2)] = pz;
        int v = layout.columnOf(part, lm, 3);
        if (v >= 0) {
            x[base + v] = vis;
        }
    }
}
