package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.nio.file.Path;

/**
 * Options of a training run. Build with {@link #builder()}; values are checked in {@link Builder#build()}.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param seed everything random (initialisation, shuffling, augmentation, dropout, the monitor split) follows it
 * @param maxEpochs upper bound on epochs
 * @param patience stop after this many epochs without a lower monitor loss (early stopping)
 * @param batchSize windows per gradient step
 * @param hidden1 width of the frame layer
 * @param hidden2 width of the temporal convolution
 * @param learningRate AdamW's peak learning rate (cosine decay to 5 % of it over {@code maxEpochs})
 * @param weightDecay AdamW's decoupled weight decay
 * @param dropout dropout on the pooled features
 * @param labelSmoothing label smoothing of the cross-entropy loss
 * @param monitorFraction share of each class's training windows held out (seeded) to choose the best epoch; the
 *        validation data is never used for that
 * @param threads worker threads (results do not depend on it)
 * @param checkpointDir where the best model so far is written as ONNX after each improvement, or null
 * @param augmentation the random changes applied to training windows
 * @param ensemble     networks trained from different seeds and averaged ({@link EnsembleNetwork}); 1 for one
 * @param handShape    add each hand's palm-scaled shape to the features ({@link FeatureTransform})
 * @param handAngles   add each hand's joint cosines to the features ({@link FeatureTransform})
 * @param velocities   add every point's motion since the previous frame to the features ({@link FeatureTransform})
 * @param architecture the network family: {@link NetworkFamily#TCN} (default), the reports' {@link NetworkFamily#LSTM}
 *        (hidden1, hidden2 are then the two LSTMs' widths, and hidden1 the dense layer's),
 *        {@link NetworkFamily#CONV_ATTENTION} (hidden1 the frames' width, hidden2 the attention's query and key
 *        width) or any other
 * @param cosineMargin additive cosine margin (CosFace) of a {@link NetworkFamily#COSINE_TCN} head in training: the true
 *        class's logit is {@code scale * (cos - margin)}; 0 for none (inference never uses it)
 * @param embeddingWhitening shrinkage of the {@link EmbeddingWhitening} a {@link NetworkFamily#COSINE_TCN} embedder
 *        gets after training, fitted to its training windows (and their mirror images where the layout has them);
 *        0 for none
 */
public record TrainingConfig(
        long seed,
        int maxEpochs,
        int patience,
        int batchSize,
        int hidden1,
        int hidden2,
        double learningRate,
        double weightDecay,
        double dropout,
        double labelSmoothing,
        double monitorFraction,
        int threads,
        Path checkpointDir,
        Augmentation augmentation,
        boolean handShape,
        boolean handAngles,
        boolean velocities,
        NetworkFamily architecture,
        int ensemble,
        double cosineMargin,
        double embeddingWhitening) {

    /** Whether the features include the hands' shapes by default: chosen by cross-validation (README). */
    public static final boolean DEFAULT_HAND_SHAPE = true;
    /** Whether the features include the hands' joint cosines by default: chosen by cross-validation (README). */
    public static final boolean DEFAULT_HAND_ANGLES = true;
    /** Whether the features include every point's velocity by default: chosen by cross-validation (README). */
    public static final boolean DEFAULT_VELOCITIES = true;
    /** Networks a model averages by default: chosen by cross-validation (README). */
    public static final int DEFAULT_ENSEMBLE = 3;
    /**
     * The sign embedder's whitening shrinkage by default ({@link #embedderBuilder()}): chosen by the few-shot protocol
     * (README).
     */
    public static final double DEFAULT_EMBEDDING_WHITENING = 0.3;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sign embedder's largest hand shift by default ({@link #embedderBuilder()}, {@link Augmentation#handShift}):
     * chosen, with hand dropout, by the few-shot protocol over six seeds (README).
     */
    public static final double DEFAULT_EMBEDDER_HAND_SHIFT = 0.1;

    /**
     * A builder with the sign embedder's defaults ({@link NetworkFamily#COSINE_TCN}, one network, no hand-shape
     * features, joint cosines or velocities, whitened embeddings, hand dropout and both hands moved against the
     * body in training): chosen by the few-shot protocol, on which the classifier's hand-shape features, joint
     * cosines and velocities made signs the embedder never saw harder to recognise, and hand dropout with the hand
     * shift made taught signs easier to recognise for as many unseen signs accepted (README). Nor are no-sign
     * windows emptied (the classifier's {@link Augmentation#DEFAULT_NO_SIGN_EMPTY}): the bundled embedder was chosen
     * and trained without it.
     */
    public static Builder embedderBuilder() {
        return new Builder()
                .architecture(NetworkFamily.COSINE_TCN)
                .ensemble(1)
                .handShape(false)
                .handAngles(false)
                .velocities(false)
                .embeddingWhitening(DEFAULT_EMBEDDING_WHITENING)
                .augmentation(Augmentation.defaults().withNoSignEmpty(0).withHandShift(DEFAULT_EMBEDDER_HAND_SHIFT));
    }

    /** A builder holding this config's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .maxEpochs(maxEpochs)
                .patience(patience)
                .batchSize(batchSize)
                .hidden(hidden1, hidden2)
                .learningRate(learningRate)
                .weightDecay(weightDecay)
                .dropout(dropout)
                .labelSmoothing(labelSmoothing)
                .monitorFraction(monitorFraction)
                .threads(threads)
                .checkpointDir(checkpointDir)
                .augmentation(augmentation)
                .handShape(handShape)
                .handAngles(handAngles)
                .velocities(velocities)
                .architecture(architecture)
                .ensemble(ensemble)
                .cosineMargin(cosineMargin)
                .embeddingWhitening(embeddingWhitening);
    }

    /** A builder with the demo model's defaults. Not thread-safe. */
    public static final class Builder {
        private long seed = 7;
        private int maxEpochs = 60;
        private int patience = 12;
        private int batchSize = 32;
        private int hidden1 = 128;
        private int hidden2 = 128;
        private double learningRate = 2e-3;
        private double weightDecay = 1e-4;
        private double dropout = 0.2;
        private double labelSmoothing = 0.05;
        private double monitorFraction = 0.1;
        private int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        private Path checkpointDir;
        private Augmentation augmentation = Augmentation.defaults();
        private boolean handShape = DEFAULT_HAND_SHAPE;
        private boolean handAngles = DEFAULT_HAND_ANGLES;
        private boolean velocities = DEFAULT_VELOCITIES;
        private double cosineMargin;
        private double embeddingWhitening;
        private NetworkFamily architecture = NetworkFamily.TCN;
        private int ensemble = DEFAULT_ENSEMBLE;

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder hidden(int frameLayer, int temporalLayer) {
            hidden1 = frameLayer;
            hidden2 = temporalLayer;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder labelSmoothing(double v) {
            labelSmoothing = v;
            return this;
        }

        public Builder monitorFraction(double v) {
            monitorFraction = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder augmentation(Augmentation v) {
            augmentation = v;
            return this;
        }

        /** How many networks, trained from different seeds, vote (default {@value #DEFAULT_ENSEMBLE}). */
        public Builder ensemble(int v) {
            ensemble = v;
            return this;
        }

        /**
         * Additive cosine margin of a {@link NetworkFamily#COSINE_TCN} head in training (default 0: none), in
         * [0, 1).
         */
        public Builder cosineMargin(double v) {
            cosineMargin = v;
            return this;
        }

        /**
         * Shrinkage of the whitening a {@link NetworkFamily#COSINE_TCN} embedder's embeddings get after training
         * (default 0: none; {@link TrainingConfig#embedderBuilder()}: {@value TrainingConfig#DEFAULT_EMBEDDING_WHITENING}).
         */
        public Builder embeddingWhitening(double v) {
            embeddingWhitening = v;
            return this;
        }

        /** Whether the features include each hand's palm-scaled shape (default {@value #DEFAULT_HAND_SHAPE}). */
        public Builder handShape(boolean v) {
            handShape = v;
            return this;
        }

        /** Whether the features include the hands' joint cosines (default {@value #DEFAULT_HAND_ANGLES}). */
        public Builder handAngles(boolean v) {
            handAngles = v;
            return this;
        }

        /**
         * Whether the features include every point's motion since the previous frame (default
         * {@value #DEFAULT_VELOCITIES}).
         */
        public Builder velocities(boolean v) {
            velocities = v;
            return this;
        }

        /** The network family (default {@link NetworkFamily#TCN}); any family, built in or the caller's own. */
        public Builder architecture(NetworkFamily v) {
            architecture = v;
            return this;
        }

        public TrainingConfig build() {
            Checks.positive(maxEpochs, "maxEpochs");
            Checks.positive(patience, "patience");
            Checks.positive(batchSize, "batchSize");
            Checks.positive(hidden1, "hidden1");
            Checks.positive(hidden2, "hidden2");
            Checks.threadCount(threads, 1, "threads");
            Checks.positive(ensemble, "ensemble");
            Checks.notNull(augmentation, "augmentation");
            Checks.notNull(architecture, "architecture");
            positive(learningRate, "learningRate", 1);
            if (!(weightDecay >= 0 && weightDecay < 1)) {
                throw new InvalidInputException("weightDecay must be in [0, 1), was " + weightDecay);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new InvalidInputException("dropout must be in [0, 1), was " + dropout);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new InvalidInputException("labelSmoothing must be in [0, 1), was " + labelSmoothing);
            }
            if (!(cosineMargin >= 0 && cosineMargin < 1)) {
                throw new InvalidInputException("cosineMargin must be in [0, 1), was " + cosineMargin);
            }
            if (cosineMargin > 0 && !architecture.equals(NetworkFamily.COSINE_TCN)) {
                throw new InvalidInputException("a cosine margin (" + cosineMargin + ") needs the "
                        + NetworkFamily.COSINE_TCN.name() + " network, not " + architecture.name());
            }
            if (!(embeddingWhitening >= 0 && Double.isFinite(embeddingWhitening))) {
                throw new InvalidInputException(
                        "embeddingWhitening must be 0 (none) or positive, was " + embeddingWhitening);
            }
            if (embeddingWhitening > 0 && !architecture.equals(NetworkFamily.COSINE_TCN)) {
                throw new InvalidInputException("whitened embeddings (" + embeddingWhitening + ") need the "
                        + NetworkFamily.COSINE_TCN.name() + " network, not " + architecture.name());
            }
            if (!(monitorFraction > 0 && monitorFraction < 0.5)) {
                throw new InvalidInputException("monitorFraction must be in (0, 0.5), was " + monitorFraction);
            }
            return new TrainingConfig(
                    seed,
                    maxEpochs,
                    patience,
                    batchSize,
                    hidden1,
                    hidden2,
                    learningRate,
                    weightDecay,
                    dropout,
                    labelSmoothing,
                    monitorFraction,
                    threads,
                    checkpointDir,
                    augmentation,
                    handShape,
                    handAngles,
                    velocities,
                    architecture,
                    ensemble,
                    cosineMargin,
                    embeddingWhitening);
        }

        private static void positive(double v, String name, double max) {
            if (!(v > 0 && v <= max)) {
                throw new InvalidInputException(name + " must be in (0, " + max + "], was " + v);
            }
        }
    }
}
