package io.github.kslr.landmarks;

/**
 * Which output tensor of each model holds what. The ONNX models keep MediaPipe's TFLite output names (a converter may
 * reorder outputs, so they are bound by name, never by position); {@link BatchRunner} checks them when a landmarker is
 * built, so that a wrong model fails at once with the names it has.
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

    OutputNames() {
    }
}
