package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import io.github.kslr.api.EngineBuilder;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelOptions;

/**
 * How {@link VitsKhmerSpeech} speaks: speaking rate, noise scales, whether numbers are spelled out, ONNX Runtime
 * threads and device.
 *
 * <p>Defaults are transformers' {@code VitsModel} defaults for MMS voices: rate 1.0, noise scale 0.667, duration
 * noise scale 0.8; numbers in digits spoken as Khmer words ({@link KhmerNumbers}); CPU with ONNX Runtime's own thread
 * count. Both noise scales 0 make the output deterministic (and
 * equal to transformers' output for the same voice).
 *
 * <p><b>Thread-safety.</b> Immutable; the {@link Builder} is not thread-safe.
 */
public final class VitsSpeechOptions {
    private final double speakingRate;
    private final float noiseScale;
    private final float noiseScaleDuration;
    private final boolean spellNumbers;
    private final ModelOptions modelOptions;

    private VitsSpeechOptions(Builder b) {
        this.spellNumbers = b.spellNumbers;
        this.speakingRate = b.speakingRate;
        this.noiseScale = b.noiseScale;
        this.noiseScaleDuration = b.noiseScaleDuration;
        this.modelOptions = b.modelOptions();
    }

    /** The defaults. */
    public static VitsSpeechOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder()
                .speakingRate(speakingRate)
                .noiseScale(noiseScale)
                .noiseScaleDuration(noiseScaleDuration)
                .spellNumbers(spellNumbers)
                .modelOptions(modelOptions);
    }

    /** 1.0 is the voice's own pace; 2.0 twice as fast. */
    public double speakingRate() {
        return speakingRate;
    }

    /** The model's {@code length_scale} input: {@code 1 / speakingRate}. */
    public float lengthScale() {
        return (float) (1.0 / speakingRate);
    }

    public float noiseScale() {
        return noiseScale;
    }

    public float noiseScaleDuration() {
        return noiseScaleDuration;
    }

    /** Whether numbers written in digits are spoken as Khmer words ({@link KhmerNumbers#spellNumbers(String)}). */
    public boolean spellNumbers() {
        return spellNumbers;
    }

    /** ONNX Runtime intra-op threads; 0 lets it choose (one per core). */
    public int intraOpThreads() {
        return modelOptions.threads();
    }

    public ExecutionDevice device() {
        return modelOptions.device();
    }

    /** Device, threads and spinning of the voice's model. */
    public ModelOptions modelOptions() {
        return modelOptions;
    }

    @Override
    public String toString() {
        return "VitsSpeechOptions[rate=" + speakingRate + ", noiseScale=" + noiseScale + ", noiseScaleDuration="
                + noiseScaleDuration + ", spellNumbers=" + spellNumbers + ", " + modelOptions + "]";
    }

    /**
     * Builds {@link VitsSpeechOptions}; values are checked in {@link #build()}. The model runs on the CPU by default,
     * one thread a core, spinning.
     */
    public static final class Builder extends EngineBuilder<Builder> {
        private double speakingRate = 1.0;
        private float noiseScale = 0.667f;
        private float noiseScaleDuration = 0.8f;
        private boolean spellNumbers = true;

        private Builder() {
            // A voice runs one model on long inputs: every core, spinning.
            super(ModelOptions.cpu(ModelOptions.RUNTIME_CHOOSES_THREADS));
        }

        /** Speaking rate, finite and &gt; 0 (1.0 = the voice's pace). */
        public Builder speakingRate(double rate) {
            this.speakingRate = rate;
            return this;
        }

        /** Noise of the prior (finite, &gt;= 0; 0 = deterministic). */
        public Builder noiseScale(float scale) {
            this.noiseScale = scale;
            return this;
        }

        /** Noise of the stochastic duration predictor (finite, &gt;= 0; 0 = deterministic). */
        public Builder noiseScaleDuration(float scale) {
            this.noiseScaleDuration = scale;
            return this;
        }

        /** Both noise scales 0: the same text always gives the same samples. */
        public Builder deterministic() {
            this.noiseScale = 0f;
            this.noiseScaleDuration = 0f;
            return this;
        }

        /**
         * Whether numbers written in digits ({@code 25}, {@code ២០២៦}, {@code 3.14}) are spoken as Khmer words
         * (default true). Off, the text goes to the voice's tokenizer as written, as transformers would give it; the
         * MMS Khmer voice then skips digits.
         */
        public Builder spellNumbers(boolean spell) {
            this.spellNumbers = spell;
            return this;
        }

        /**
         * @throws InvalidInputException naming the first bad value
         */
        public VitsSpeechOptions build() {
            // The upper bound keeps 1 / rate a normal float; real speech lives in roughly [0.5, 2].
            if (!(speakingRate > 0 && speakingRate <= 100)) {
                throw new InvalidInputException(
                        "speakingRate must be > 0 and <= 100 (1.0 = the voice's pace), was " + speakingRate);
            }
            Checks.inRange(noiseScale, 0f, 10f, "noiseScale");
            Checks.inRange(noiseScaleDuration, 0f, 10f, "noiseScaleDuration");
            return new VitsSpeechOptions(this);
        }
    }
}
