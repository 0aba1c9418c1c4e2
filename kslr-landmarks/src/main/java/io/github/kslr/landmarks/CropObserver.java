package io.github.kslr.landmarks;

import java.nio.FloatBuffer;

/**
 * Sees each model input the landmarker feeds its models ({@link LandmarkerModels.Builder#cropObserver}), e.g. to
 * calibrate quantised models on crops cut exactly as the landmarker cuts them.
 *
 * <p>Called on the thread that runs the model, just before the run; implementations used by several landmarkers at
 * once must be thread-safe. The buffer is the landmarker's own: read it during the call, never keep or change it.
 */
@FunctionalInterface
public interface CropObserver {
    /**
     * @param stage  the model about to run
     * @param input  NHWC floats of {@code batch} items of {@code height x width x 3}, from index 0 (a read-only view)
     * @param batch  items in this run
     * @param height each item's height in pixels (the model's input height)
     * @param width  each item's width in pixels
     */
    void crops(HolisticModel stage, FloatBuffer input, int batch, int height, int width);
}
