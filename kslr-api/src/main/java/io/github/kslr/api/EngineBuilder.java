package io.github.kslr.api;

/**
 * The part every engine's builder shares: how the engine runs its models ({@link ModelOptions}). The landmarker's
 * ({@code LandmarkerModels.Builder}), the sign classifier's and the speech voices' builders extend it, so
 * {@link #device}, {@link #intraOpThreads} and {@link #modelOptions(ModelOptions)} are declared once; each builder
 * passes its own defaults (and says in its Javadoc why they suit its models).
 *
 * <p><b>Thread-safety.</b> Not thread-safe; use from one thread, as the builders that extend it.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class EngineBuilder<B extends EngineBuilder<B>> {
    private ModelOptions modelOptions;

    /** @param defaults the engine's own defaults, kept until a setter changes them */
    protected EngineBuilder(ModelOptions defaults) {
        this.modelOptions = Checks.notNull(defaults, "defaults");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Where the models run (default: the CPU). With {@link ExecutionDevice#cuda} loading the models fails with a
     * {@link DeviceUnavailableException} when CUDA cannot be loaded; {@link ExecutionDevice#cudaOrCpu} falls back to
     * the CPU with a warning in the log.
     */
    public B device(ExecutionDevice device) {
        this.modelOptions = modelOptions.withDevice(device);
        return self();
    }

    /**
     * ONNX Runtime intra-op threads per session (threads inside one operator): 1 to {@link Checks#MAX_THREADS}, or
     * {@link ModelOptions#RUNTIME_CHOOSES_THREADS} (0) for one a core.
     */
    public B intraOpThreads(int threads) {
        this.modelOptions = modelOptions.withThreads(threads);
        return self();
    }

    /** Device, threads and spinning at once, replacing the builder's defaults whole. */
    public B modelOptions(ModelOptions options) {
        this.modelOptions = Checks.notNull(options, "modelOptions");
        return self();
    }

    /** The options set so far (the engine's defaults where no setter changed them). */
    public ModelOptions modelOptions() {
        return modelOptions;
    }
}
