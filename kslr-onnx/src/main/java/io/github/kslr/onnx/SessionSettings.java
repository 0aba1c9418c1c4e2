package io.github.kslr.onnx;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ExecutionDevice;

/**
 * How to open an ONNX Runtime session.
 *
 * @param device         CPU or CUDA (with or without CPU fallback)
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads across operators; 0 lets ONNX Runtime choose
 * @param variableShapes whether the model sees a new input shape on most calls (e.g. speech, whose length follows
 *                       the text): on CUDA, cuDNN then picks convolution algorithms by heuristic instead of timing
 *                       every candidate for every new shape
 */
public record SessionSettings(ExecutionDevice device, int intraOpThreads, int interOpThreads,
        boolean variableShapes) {
    public SessionSettings {
        Checks.notNull(device, "device");
        Checks.nonNegative(intraOpThreads, "intraOpThreads");
        Checks.nonNegative(interOpThreads, "interOpThreads");
    }

    /** Settings for a model with fixed input shapes. */
    public SessionSettings(ExecutionDevice device, int intraOpThreads, int interOpThreads) {
        this(device, intraOpThreads, interOpThreads, false);
    }

    /** CPU, runtime-chosen thread counts, fixed shapes. */
    public static SessionSettings defaults() {
        return new SessionSettings(ExecutionDevice.cpu(), 0, 0, false);
    }

    public SessionSettings withDevice(ExecutionDevice d) {
        return new SessionSettings(d, intraOpThreads, interOpThreads, variableShapes);
    }

    public SessionSettings withIntraOpThreads(int n) {
        return new SessionSettings(device, n, interOpThreads, variableShapes);
    }

    public SessionSettings withVariableShapes(boolean on) {
        return new SessionSettings(device, intraOpThreads, interOpThreads, on);
    }
}
