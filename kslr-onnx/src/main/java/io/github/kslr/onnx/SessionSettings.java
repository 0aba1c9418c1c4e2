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
 * @param spinning       whether idle intra-op threads spin waiting for work (ONNX Runtime's default): quickest for
 *                       back-to-back calls of one session, harmful when several sessions' pools share few cores
 */
public record SessionSettings(
        ExecutionDevice device, int intraOpThreads, int interOpThreads, boolean variableShapes, boolean spinning) {
    public SessionSettings {
        Checks.notNull(device, "device");
        Checks.threadCount(intraOpThreads, 0, "intraOpThreads");
        Checks.threadCount(interOpThreads, 0, "interOpThreads");
    }

    /** Settings for a model with fixed input shapes and spinning threads. */
    public SessionSettings(ExecutionDevice device, int intraOpThreads, int interOpThreads) {
        this(device, intraOpThreads, interOpThreads, false, true);
    }

    /** A model's run options as the engines' builders take them: fixed shapes, runtime-chosen inter-op threads. */
    public static SessionSettings of(io.github.kslr.api.ModelOptions options) {
        Checks.notNull(options, "options");
        return new SessionSettings(options.device(), options.threads(), 0, false, options.spinning());
    }

    /** CPU, runtime-chosen thread counts, fixed shapes, spinning threads. */
    public static SessionSettings defaults() {
        return new SessionSettings(ExecutionDevice.cpu(), 0, 0, false, true);
    }

    public SessionSettings withDevice(ExecutionDevice d) {
        return new SessionSettings(d, intraOpThreads, interOpThreads, variableShapes, spinning);
    }

    public SessionSettings withIntraOpThreads(int n) {
        return new SessionSettings(device, n, interOpThreads, variableShapes, spinning);
    }

    public SessionSettings withVariableShapes(boolean on) {
        return new SessionSettings(device, intraOpThreads, interOpThreads, on, spinning);
    }

    public SessionSettings withSpinning(boolean on) {
        return new SessionSettings(device, intraOpThreads, interOpThreads, variableShapes, on);
    }
}
