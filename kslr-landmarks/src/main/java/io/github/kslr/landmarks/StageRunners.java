package io.github.kslr.landmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The seven models of the holistic graph as one landmarker runs them: a {@link BatchRunner} a model (binding only the
 * outputs the graph reads), the three SSD decoders and their scratch arrays, and the crop settings each model wants.
 * Shared by {@link HolisticLandmarker} (batch 1) and {@link MultiStreamLandmarker} (batches over streams), so both
 * build the graph the same way.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one landmarker, which frees it with {@link #close()}.
 */
final class StageRunners implements AutoCloseable {
    final OutputNames names = new OutputNames();
    final BatchRunner poseDetection;
    final BatchRunner poseLandmark;
    final BatchRunner handRecrop;
    final BatchRunner handLandmark;
    final BatchRunner palmDetection;
    final BatchRunner faceDetection;
    final BatchRunner faceLandmark;
    final SsdDecoder poseDecoder;
    final SsdDecoder palmDecoder;
    final SsdDecoder faceDecoder;
    // Decoder scratch, reused every frame.
    final float[] poseBoxes;
    final float[] poseScores;
    final float[] palmBoxes;
    final float[] palmScores;
    final float[] faceBoxes;
    final float[] faceScores;

    /**
     * @param perPart    fixed batch of the one-crop-a-stream models (pose, palm and face), 0 for variable batches
     * @param perHandPair fixed batch of the hand models (two crops a stream), 0 for variable batches
     */
    StageRunners(LandmarkerModels m, int perPart, int perHandPair, float minPoseDetectionConfidence,
            float minFaceDetectionConfidence) {
        List<AutoCloseable> made = new ArrayList<>();
        try {
            poseDetection = keep(made, new BatchRunner(m.poseDetection,
                    Set.of(names.poseDetBoxes, names.poseDetScores), perPart));
            // Not the segmentation output: ONNX Runtime then skips the segmentation head.
            poseLandmark = keep(made, new BatchRunner(m.poseLandmark,
                    Set.of(names.poseLandmarks, names.posePresence, names.poseHeatmap, names.poseWorld), perPart));
            handRecrop = keep(made, new BatchRunner(m.handRecrop, Set.of(names.recrop), perHandPair));
            handLandmark = keep(made, new BatchRunner(m.handLandmark,
                    Set.of(names.handLandmarks, names.handPresence, names.handedness), perHandPair));
            palmDetection = keep(made, new BatchRunner(m.palmDetection, Set.of(names.palmBoxes, names.palmScores),
                    perPart));
            faceDetection = keep(made, new BatchRunner(m.faceDetection, Set.of(names.faceBoxes, names.faceScores),
                    perPart));
            faceLandmark = keep(made, new BatchRunner(m.faceLandmark, Set.of(names.faceLandmarks, names.faceFlag),
                    perPart));
        } catch (RuntimeException e) {
            closeAll(made, e);
            throw e;
        }
        poseDecoder = new SsdDecoder(SsdAnchors.POSE_DETECTION, 12, 4, poseDetection.width(),
                minPoseDetectionConfidence, 100f, 0.3f);
        palmDecoder = new SsdDecoder(SsdAnchors.PALM_DETECTION, 18, 7, palmDetection.width(), 0.5f, 100f, 0.3f);
        faceDecoder = new SsdDecoder(SsdAnchors.FACE_DETECTION, 16, 6, faceDetection.width(),
                minFaceDetectionConfidence, 100f, 0.3f);
        poseBoxes = new float[poseDecoder.numBoxes() * 12];
        poseScores = new float[poseDecoder.numBoxes()];
        palmBoxes = new float[palmDecoder.numBoxes() * 18];
        palmScores = new float[palmDecoder.numBoxes()];
        faceBoxes = new float[faceDecoder.numBoxes() * 16];
        faceScores = new float[faceDecoder.numBoxes()];
    }

    /**
     * A new set of croppers, one a model in the order pose detection, pose landmark, hand re-crop, hand landmark, palm
     * detection, face detection, face landmark. Input ranges and borders follow MediaPipe's ImageToTensor options:
     * detectors [-1, 1] (palm: [0, 1]) with a black border, landmark models [0, 1] with replicated edges. The caller
     * owns and closes them.
     */
    RoiCropper[] newCroppers() {
        List<AutoCloseable> made = new ArrayList<>();
        try {
            return new RoiCropper[] {keep(made, cropper(poseDetection, -1f, 1f, true)),
                keep(made, cropper(poseLandmark, 0f, 1f, false)), keep(made, cropper(handRecrop, 0f, 1f, false)),
                keep(made, cropper(handLandmark, 0f, 1f, false)), keep(made, cropper(palmDetection, 0f, 1f, true)),
                keep(made, cropper(faceDetection, -1f, 1f, true)), keep(made, cropper(faceLandmark, 0f, 1f, false))};
        } catch (RuntimeException e) {
            closeAll(made, e);
            throw e;
        }
    }

    private static RoiCropper cropper(BatchRunner r, float min, float max, boolean zeroBorder) {
        return new RoiCropper(r.width(), r.height(), min, max, zeroBorder);
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
        for (BatchRunner r : new BatchRunner[] {poseDetection, poseLandmark, handRecrop, handLandmark, palmDetection,
            faceDetection, faceLandmark}) {
            r.close();
        }
    }
}
