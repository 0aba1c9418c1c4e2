package io.github.kslr.landmarks;

import io.github.kslr.api.ModelLoadException;

/**
 * Which output tensor of each model holds what. The ONNX models keep MediaPipe's TFLite output names (a converter may
 * reorder outputs, so they are bound by name, never by position); the names are checked when a landmarker is built
 * so that a wrong model fails at once with the names it has.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
final class OutputNames {
    final String poseDetBoxes = "Identity";
    final String poseDetScores = "Identity_1";
    final String poseLandmarks = "Identity";
    final String posePresence = "Identity_1";
    final String poseHeatmap = "Identity_3";
    final String poseWorld = "Identity_4";
    final String recrop = "output_crop";
    final String handLandmarks = "Identity";
    final String handPresence = "Identity_1";
    final String handedness = "Identity_2";
    final String palmBoxes = "Identity";
    final String palmScores = "Identity_1";
    final String faceBoxes = "regressors";
    final String faceScores = "classificators";
    final String faceLandmarks = "conv2d_21";
    final String faceFlag = "conv2d_31";

    private OutputNames() {
    }

    static OutputNames resolve(ModelRunner poseDetection, ModelRunner poseLandmark, ModelRunner handRecrop,
            ModelRunner handLandmark, ModelRunner palmDetection, ModelRunner faceDetection, ModelRunner faceLandmark) {
        OutputNames n = new OutputNames();
        require(poseDetection, "pose_detection", n.poseDetBoxes, n.poseDetScores);
        require(poseLandmark, "pose_landmark", n.poseLandmarks, n.posePresence, n.poseHeatmap, n.poseWorld);
        require(handRecrop, "hand_recrop", n.recrop);
        require(handLandmark, "hand_landmark", n.handLandmarks, n.handPresence, n.handedness);
        require(palmDetection, "palm_detection", n.palmBoxes, n.palmScores);
        require(faceDetection, "face_detection", n.faceBoxes, n.faceScores);
        require(faceLandmark, "face_landmark", n.faceLandmarks, n.faceFlag);
        return n;
    }

    private static void require(ModelRunner r, String model, String... names) {
        for (String name : names) {
            if (!r.hasOutput(name)) {
                throw new ModelLoadException(model + " model lacks output " + name + " (MediaPipe's TFLite name)");
            }
        }
    }
}
