package io.github.kslr.landmarks;

import java.util.List;

/**
 * A detector stage (pose, palm or face detection): its model runner, its SSD decoder and the decoder's scratch.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one tracking unit, which frees it with {@link #close()}.
 */
final class Detector implements AutoCloseable {
    final BatchRunner runner;
    private final SsdDecoder decoder;
    // Decoder scratch, reused every frame.
    private final float[] boxes;
    private final float[] scores;

    /** Takes ownership of {@code runner}. */
    Detector(BatchRunner runner, HolisticModel model, float minScore) {
        this.runner = runner;
        decoder = model.newDecoder(runner.width(), minScore);
        boxes = new float[decoder.numBoxes() * decoder.numCoords()];
        scores = new float[decoder.numBoxes()];
    }

    /** SSD detections of batch item {@code item} of the last run, best first. */
    List<Detection> decode(int item) {
        runner.output(HolisticModel.Output.BOXES).get(runner.outputOffset(HolisticModel.Output.BOXES, item), boxes);
        runner.output(HolisticModel.Output.SCORES).get(runner.outputOffset(HolisticModel.Output.SCORES, item), scores);
        return decoder.decode(boxes, scores);
    }

    @Override
    public void close() {
        runner.close();
    }
}
