package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The seven models of the holistic graph as one landmarker runs them: a {@link BatchRunner} a model (binding only the
 * outputs the graph reads), the three SSD decoders and their scratch arrays, and the crop settings each model wants.
 * Shared by {@link HolisticLandmarker} (batch 1) and {@link MultiStreamLandmarker} (batches over streams), so both
 * build the graph the same way.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker, which frees it with {@link #close()}.
 */
final class StageRunners implements AutoCloseable {
    final Detector poseDetection;
    final BatchRunner poseLandmark;
    final BatchRunner handRecrop;
    final BatchRunner handLandmark;
    final Detector palmDetection;
    final Detector faceDetection;
    final BatchRunner faceLandmark;

    /**
     * @param perPart    fixed batch of the one-crop-a-stream models (pose, palm and face), 0 for variable batches
     * @param perHandPair fixed batch of the hand models (two crops a stream), 0 for variable batches
     */
    StageRunners(LandmarkerModels m, int perPart, int perHandPair, float minPoseDetectionConfidence,
            float minFaceDetectionConfidence) {
        List<AutoCloseable> made = new ArrayList<>();
        try {
            poseDetection = keep(made, new Detector(runner(m, HolisticModel.POSE_DETECTION, perPart),
                    HolisticModel.POSE_DETECTION, minPoseDetectionConfidence));
            poseLandmark = keep(made, runner(m, HolisticModel.POSE_LANDMARK, perPart));
            handRecrop = keep(made, runner(m, HolisticModel.HAND_RECROP, perHandPair));
            handLandmark = keep(made, runner(m, HolisticModel.HAND_LANDMARK, perHandPair));
            palmDetection = keep(made, new Detector(runner(m, HolisticModel.PALM_DETECTION, perPart),
                    HolisticModel.PALM_DETECTION, 0.5f));
            faceDetection = keep(made, new Detector(runner(m, HolisticModel.FACE_DETECTION, perPart),
                    HolisticModel.FACE_DETECTION, minFaceDetectionConfidence));
            faceLandmark = keep(made, runner(m, HolisticModel.FACE_LANDMARK, perPart));
        } catch (RuntimeException e) {
            closeAll(made, e);
            throw e;
        }
    }

    private static BatchRunner runner(LandmarkerModels m, HolisticModel model, int batch) {
        return new BatchRunner(m.session(model), model, batch);
    }

    /**
     * A new set of croppers, one a model in the order pose detection, pose landmark, hand re-crop, hand landmark, palm
     * detection, face detection, face landmark. The caller owns and closes them.
     */
    RoiCropper[] newCroppers() {
        List<AutoCloseable> made = new ArrayList<>();
        try {
            return new RoiCropper[] {keep(made, cropper(HolisticModel.POSE_DETECTION, poseDetection.runner)),
                keep(made, cropper(HolisticModel.POSE_LANDMARK, poseLandmark)),
                keep(made, cropper(HolisticModel.HAND_RECROP, handRecrop)),
                keep(made, cropper(HolisticModel.HAND_LANDMARK, handLandmark)),
                keep(made, cropper(HolisticModel.PALM_DETECTION, palmDetection.runner)),
                keep(made, cropper(HolisticModel.FACE_DETECTION, faceDetection.runner)),
                keep(made, cropper(HolisticModel.FACE_LANDMARK, faceLandmark))};
        } catch (RuntimeException e) {
            closeAll(made, e);
            throw e;
        }
    }

    private static RoiCropper cropper(HolisticModel model, BatchRunner r) {
        return model.newCropper(r.width(), r.height());
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> made, T t) {
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

    @Override
    public void close() {
        for (Detector d : new Detector[] {poseDetection, palmDetection, faceDetection}) {
            d.close();
        }
        for (BatchRunner r : new BatchRunner[] {poseLandmark, handRecrop, handLandmark, faceLandmark}) {
            r.close();
        }
    }
}
