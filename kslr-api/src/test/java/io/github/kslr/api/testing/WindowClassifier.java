package io.github.kslr.api.testing;

import io.github.kslr.api.Prediction;
import io.github.kslr.api.SequenceBuffer;
import io.github.kslr.api.SignClassifier;
import java.util.List;

/**
 * A test's stand-in classifier that answers one window at a time: a buffer is classified as its window, batches are
 * refused (the tests that use it drive recognition window by window) and closing holds nothing.
 *
 * <p><b>Thread-safety.</b> As its subclass; the tests use it from one thread.
 */
public abstract class WindowClassifier implements SignClassifier {

    @Override
    public Prediction classify(SequenceBuffer buffer) {
        return classify(buffer.window());
    }

    @Override
    public List<Prediction> classifyBatch(float[] windows, int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
