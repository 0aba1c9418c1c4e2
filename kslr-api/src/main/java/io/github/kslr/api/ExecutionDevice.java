package io.github.kslr.api;

/**
 * Where a component runs its models. Immutable; thread-safe.
 *
 * @param kind     CPU or CUDA
 * @param deviceId the GPU index for CUDA; 0 for CPU
 * @param fallbackToCpu for CUDA: run on the CPU (with a warning in the log) when CUDA cannot be loaded, instead of
 *                 failing with {@link DeviceUnavailableException}
 */
public record ExecutionDevice(Kind kind, int deviceId, boolean fallbackToCpu) {

    /** Execution providers KSLR knows. */
    public enum Kind {
        CPU,
        CUDA
    }

    public ExecutionDevice {
        Checks.notNull(kind, "kind");
        Checks.nonNegative(deviceId, "deviceId");
        if (kind == Kind.CPU && (deviceId != 0 || fallbackToCpu)) {
            throw new InvalidInputException("a CPU device takes no device id or fallback, was id " + deviceId);
        }
    }

    /** The CPU (the default everywhere). */
    public static ExecutionDevice cpu() {
        return new ExecutionDevice(Kind.CPU, 0, false);
    }

    /** GPU {@code deviceId} through CUDA; fails when CUDA cannot be loaded. */
    public static ExecutionDevice cuda(int deviceId) {
        return new ExecutionDevice(Kind.CUDA, deviceId, false);
    }

    /** GPU {@code deviceId} through CUDA, or the CPU when CUDA cannot be loaded. */
    public static ExecutionDevice cudaOrCpu(int deviceId) {
        return new ExecutionDevice(Kind.CUDA, deviceId, true);
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N} (as used by command lines and benchmarks). */
    public static ExecutionDevice parse(String text) {
        Checks.notNull(text, "device");
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) {
            return cpu();
        }
        if (t.equals("cuda")) {
            return cuda(0);
        }
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("device '" + text + "': expected cpu, cuda or cuda:N", e);
            }
        }
        throw new InvalidInputException("device '" + text + "': expected cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + deviceId + (fallbackToCpu ? " (or cpu)" : "");
    }
}
