package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.recognizer.OnnxSignClassifier;

/**
 * An exported sign model run through kslr-recognizer's {@link OnnxSignClassifier} (ONNX Runtime, CPU), seen as a
 * {@link ProbabilityModel} so evaluation and the perturbation suite treat it like the Java model. This is what proves
 * that the exported file, loaded the way applications load it, gives the trainer's probabilities.
 *
 * <p><b>Thread-safety.</b> As {@link OnnxSignClassifier}: {@link #probabilities} is safe from several threads;
 * {@link #close()} is idempotent and waits for calls in flight.
 */
public final class OnnxProbabilityModel implements ProbabilityModel, AutoCloseable {

    private final OnnxSignClassifier classifier;

    /** Opens {@code source} on the CPU and reads its metadata. */
    public OnnxProbabilityModel(ModelSource source) {
        Checks.notNull(source, "source");
        this.classifier =
                OnnxSignClassifier.builder().model(source).maxBatch(256).build();
    }

    @Override
    public SignModelMetadata metadata() {
        return classifier.metadata();
    }

    @Override
    public float[] probabilities(float[] windows, int count) {
        SignModelMetadata m = classifier.metadata();
        if (windows.length < (long) count * m.windowSize()) {
            throw new InvalidInputException(
                    count + " windows need " + (long) count * m.windowSize() + " floats, got " + windows.length);
        }
        float[] out = new float[count * m.labels().size()];
        classifier.probabilities(windows, count, out);
        return out;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
