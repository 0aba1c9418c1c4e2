package io.github.kslr.landmarks;

/**
 * A holistic landmarker's options as its builder validated them, handed to the graph whole (the graph never reads a
 * builder, so a builder changed after {@code build()} changes nothing). Immutable.
 */
record HolisticOptions(
        LandmarkerModels models,
        float minPoseDetectionConfidence,
        float minPosePresence,
        float minHandPresence,
        float minFaceDetectionConfidence,
        float minFacePresence,
        float minWristVisibility,
        boolean smoothLandmarks,
        boolean palmFallback,
        int palmInterval,
        boolean faceLandmarks,
        boolean faceInParallel) {}
