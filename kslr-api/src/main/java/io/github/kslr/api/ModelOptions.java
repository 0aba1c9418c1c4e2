package io.github.kslr.api;

/**
 * How an engine runs its models, the same value for the landmarker ({@code LandmarkerModels.Builder}), the sign
 * classifier and embedder, and the speech voices (as MediaPipe Tasks' {@code BaseOptions} is shared by its tasks).
 * Where the models come from stays with each engine's builder: the landmarker has seven, a classifier one, a voice
 * one plus its tokenizer.
 *
 * <p>Each engine's builder (an {@link EngineBuilder}) starts from its own defaults (e.g. one thread and no spinning
 * for the landmarker's seven sessions) and {@code modelOptions(...)} replaces them whole; its {@code device(...)} and
 * {@code intraOpThreads(...)} methods change one field.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param device   where the models run (CUDA with or without CPU fallback, or the CPU)
 * @param threads  threads inside one operator, 1 to {@link Checks#MAX_THREADS}, or {@link #RUNTIME_CHOOSES_THREADS}
 * @param spinning whether idle threads spin waiting for work (ONNX Runtime's default): quickest for back-to-back
 *                 calls of one model, harmful when several models' threads share few cores
 */
public record ModelOptions(ExecutionDevice device, int threads, boolean spinning) {
    /** {@link #threads()} value letting the runtime choose (one thread a core). */
    public static final int RUNTIME_CHOOSES_THREADS = 0;

    public ModelOptions {
        Checks.notNull(device, "device");
        Checks.threadCount(threads, 0, "threads");
    }

    /** The CPU, {@code threads} threads, spinning. */
    public static ModelOptions cpu(int threads) {
        return new ModelOptions(ExecutionDevice.cpu(), threads, true);
    }

    public ModelOptions withDevice(ExecutionDevice d) {
        return new ModelOptions(d, threads, spinning);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(device, n, spinning);
    }

    public ModelOptions withSpinning(boolean on) {
        return new ModelOptions(device, threads, on);
    }
}
