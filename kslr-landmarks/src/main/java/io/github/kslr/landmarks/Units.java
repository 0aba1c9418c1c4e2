package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tracking units ({@link PoseTracking}, {@link HandTracking}, {@link FaceTracking}) share to make and free
 * the runners and croppers they own.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
final class Units {
    private static final Logger LOG = LoggerFactory.getLogger(Units.class);

    private Units() {}

    /** A runner of {@code model}'s session; {@code batch} 0 for variable batches. */
    static BatchRunner runner(LandmarkerModels models, HolisticModel model, int batch) {
        return new BatchRunner(models.session(model), model, batch, models.cropObserver());
    }

    /** A cropper for {@code model}'s input, sized as its runner's. */
    static RoiCropper cropper(HolisticModel model, BatchRunner runner) {
        return model.newCropper(runner.width(), runner.height());
    }

    /** Adds {@code t} to {@code made} (to be closed should a later step fail) and returns it. */
    static <T extends AutoCloseable> T keep(List<AutoCloseable> made, T t) {
        made.add(t);
        return t;
    }

    /** Closes what was made before a failure, attaching close errors to it. */
    static void closeAll(List<? extends AutoCloseable> made, RuntimeException failure) {
        for (AutoCloseable c : made) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /**
     * A detection stage, a landmark stage and one cropper a stream for each: what a tracking unit owns for MediaPipe's
     * detect-then-landmark step (pose or face detection with their landmarks; palm detection with the hand landmarks).
     * Made as one, so that a failure part way frees what was made, and freed as one by {@link #close()}.
     *
     * <p><b>Thread-safety.</b> Not thread-safe: owned by one tracking unit.
     */
    static final class DetectionAndLandmarks implements AutoCloseable {
        final Detector detection;
        final BatchRunner landmark;
        private final RoiCropper[] detectionCrops;
        private final RoiCropper[] landmarkCrops;

        /**
         * @param detectionBatch fixed batch of the detection model, 0 for variable batches
         * @param landmarkBatch  fixed batch of the landmark model, 0 for variable batches
         */
        DetectionAndLandmarks(
                LandmarkerModels models,
                HolisticModel detectionModel,
                int detectionBatch,
                float minDetectionConfidence,
                HolisticModel landmarkModel,
                int landmarkBatch,
                int streams) {
            List<AutoCloseable> made = new ArrayList<>();
            try {
                detection = keep(
                        made,
                        new Detector(
                                runner(models, detectionModel, detectionBatch),
                                detectionModel,
                                minDetectionConfidence));
                landmark = keep(made, runner(models, landmarkModel, landmarkBatch));
                detectionCrops = new RoiCropper[streams];
                landmarkCrops = new RoiCropper[streams];
                for (int i = 0; i < streams; i++) {
                    detectionCrops[i] = keep(made, cropper(detectionModel, detection.runner));
                    landmarkCrops[i] = keep(made, cropper(landmarkModel, landmark));
                }
            } catch (RuntimeException e) {
                closeAll(made, e);
                throw e;
            }
        }

        /** Stream {@code stream}'s cropper for the detection model's input. */
        RoiCropper detectionCrop(int stream) {
            return detectionCrops[stream];
        }

        /** Stream {@code stream}'s cropper for the landmark model's input. */
        RoiCropper landmarkCrop(int stream) {
            return landmarkCrops[stream];
        }

        @Override
        public void close() {
            List<AutoCloseable> all = new ArrayList<>();
            for (int i = 0; i < detectionCrops.length; i++) {
                all.add(detectionCrops[i]);
                all.add(landmarkCrops[i]);
            }
            all.add(detection);
            all.add(landmark);
            closeQuietly(all);
        }
    }

    /** Closes every one of {@code all}, logging (not throwing) what fails. */
    static void closeQuietly(List<? extends AutoCloseable> all) {
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
