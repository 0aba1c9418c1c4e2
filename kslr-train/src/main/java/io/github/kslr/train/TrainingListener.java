package io.github.kslr.train;

/**
 * Receives training progress. Called on the training thread after each epoch; keep it quick.
 *
 * <p><b>Thread-safety.</b> Called from one thread at a time.
 */
@FunctionalInterface
public interface TrainingListener {
    /** One epoch finished; {@code improved} when it is the best so far (and was checkpointed). */
    void onEpoch(EpochStats stats, boolean improved);
}
