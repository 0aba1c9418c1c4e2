package io.github.kslr.onnx;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ExecutionDevice;

/**
 * How to open an ONNX Runtime session.
 *
 * @param device         CPU or CUDA (with or without CPU fallback)
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads across operators; 0 lets ONNX Runtime choose
 */
public record SessionSettings(ExecutionDevice device, int intraOpThreads, int interOpThreads) {
    public SessionSettings {
        Checks.notNull(device, "device");
        Checks.nonNegative(intraOpThreads, "intraOpThreads");
        Checks.nonNegative(interOpThreads, "interOpThreads");
    }

    /** CPU, runtime-chosen thread counts. */
    public static SessionSettings defaults() {
        return new SessionSettings(ExecutionDevice.cpu(), 0, 0);
    }

    public SessionSettings withDevice(ExecutionDevice d) {
        return new SessionSettings(d, intraOpThreads, interOpThreads);
    }

    public SessionSettings withIntraOpThreads(int n) {
        return new SessionSettings(device, n, interOpThreads);
    }
}
