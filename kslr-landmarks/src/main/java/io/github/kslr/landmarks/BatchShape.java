package io.github.kslr.landmarks;

import io.github.kslr.api.ExecutionDevice;

/**
 * The batch sizes a {@link MultiStreamLandmarker} runs its models at (see
 * {@link MultiStreamLandmarker.Builder#batchShape} for why this matters on CUDA).
 */
public enum BatchShape {
    /** Padded on CUDA models, as the crops come on the CPU (the default). */
    BY_DEVICE,
    /** Every call at the largest batch its stage can need, the unused items ignored: one input shape per model. */
    FIXED,
    /** Every call at the number of crops the stage has. */
    AS_NEEDED;

    /** Whether calls on {@code device} run padded to a fixed batch. */
    boolean padded(ExecutionDevice device) {
        return this == FIXED || this == BY_DEVICE && device.kind() == ExecutionDevice.Kind.CUDA;
    }
}
