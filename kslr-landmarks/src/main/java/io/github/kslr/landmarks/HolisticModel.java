package io.github.kslr.landmarks;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The seven model stages of the holistic graph, each described once: its bundled file, how its input crop is made and
 * which output tensor holds what. {@link LandmarkerModels} loads one session a stage (the bundled file unless
 * {@link LandmarkerModels.Builder#model} names another, e.g. a pose landmark variant), and the tracking units run
 * them.
 *
 * <p>The ONNX models keep MediaPipe's TFLite output names (a converter may reorder outputs, so they are bound by name,
 * never by position); a landmarker checks them when it is built, so that a wrong model fails at once with the names it
 * has. The input size is read from each model's input shape.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public enum HolisticModel {
    /** BlazePose detector on the letterboxed full frame. */
    POSE_DETECTION(
            "pose_detection",
            -1f,
            1f,
            true,
            SsdAnchors.POSE_DETECTION,
            12,
            4,
            Map.of(Output.BOXES, "Identity", Output.SCORES, "Identity_1")),
    /**
     * BlazePose landmarks (the bundled model is {@code pose_landmark_full}; {@code pose_landmark_lite} and
     * {@code pose_landmark_heavy} have the same inputs and outputs). The segmentation output is not bound, so ONNX
     * Runtime skips the segmentation head.
     */
    POSE_LANDMARK(
            "pose_landmark_full",
            0f,
            1f,
            false,
            null,
            0,
            0,
            Map.of(
                    Output.LANDMARKS,
                    "Identity",
                    Output.PRESENCE,
                    "Identity_1",
                    Output.HEATMAP,
                    "Identity_3",
                    Output.WORLD,
                    "Identity_4")),
    /** Holistic's hand re-crop model: refines the hand region the pose gives. */
    HAND_RECROP("hand_recrop", 0f, 1f, false, null, 0, 0, Map.of(Output.CROP_POINTS, "output_crop")),
    /** Hand landmarks. */
    HAND_LANDMARK(
            "hand_landmark_full",
            0f,
            1f,
            false,
            null,
            0,
            0,
            Map.of(Output.LANDMARKS, "Identity", Output.PRESENCE, "Identity_1", Output.HANDEDNESS, "Identity_2")),
    /** MediaPipe Hands' palm detector on the letterboxed full frame (the palm fallback). */
    PALM_DETECTION(
            "palm_detection_full",
            0f,
            1f,
            true,
            SsdAnchors.PALM_DETECTION,
            18,
            7,
            Map.of(Output.BOXES, "Identity", Output.SCORES, "Identity_1")),
    /** BlazeFace short-range detector inside the face region the pose gives. */
    FACE_DETECTION(
            "face_detection_short_range",
            -1f,
            1f,
            true,
            SsdAnchors.FACE_DETECTION,
            16,
            6,
            Map.of(Output.BOXES, "regressors", Output.SCORES, "classificators")),
    /** Face mesh, 468 landmarks; its presence output is a logit. */
    FACE_LANDMARK(
            "face_landmark",
            0f,
            1f,
            false,
            null,
            0,
            0,
            Map.of(Output.LANDMARKS, "conv2d_21", Output.PRESENCE, "conv2d_31"));

    /** What an output tensor holds, whatever the model names it. */
    enum Output {
        /** SSD box regressions, one row an anchor. */
        BOXES,
        /** SSD score logits, one an anchor. */
        SCORES,
        /** Landmarks in pixels of the model's input. */
        LANDMARKS,
        /** Presence: a probability (pose, hands) or a logit (face). */
        PRESENCE,
        /** The pose model's heatmap (landmark refinement). */
        HEATMAP,
        /** The pose model's world landmarks. */
        WORLD,
        /** The re-crop model's two points: region centre and alignment point. */
        CROP_POINTS,
        /** The hand model's handedness ("Left" for a mirrored image). */
        HANDEDNESS
    }

    private final String bundledName;
    private final float inputMin;
    private final float inputMax;
    private final boolean zeroBorder;
    private final SsdAnchors anchors;
    private final int boxValues;
    private final int keypoints;
    private final Map<Output, String> outputs;

    HolisticModel(
            String bundledName,
            float inputMin,
            float inputMax,
            boolean zeroBorder,
            SsdAnchors anchors,
            int boxValues,
            int keypoints,
            Map<Output, String> outputs) {
        this.bundledName = bundledName;
        this.inputMin = inputMin;
        this.inputMax = inputMax;
        this.zeroBorder = zeroBorder;
        this.anchors = anchors;
        this.boxValues = boxValues;
        this.keypoints = keypoints;
        this.outputs = Collections.unmodifiableMap(new EnumMap<>(outputs));
    }

    /** The bundled model's file name without {@code .onnx} (also the name looked for in a model directory). */
    public String bundledName() {
        return bundledName;
    }

    /** The tensor name of each output the graph reads. */
    Map<Output, String> outputs() {
        return outputs;
    }

    /**
     * A cropper for this stage's input of {@code width} x {@code height}. Input ranges and borders follow MediaPipe's
     * ImageToTensor options: detectors [-1, 1] (palm: [0, 1]) with a black border, landmark models [0, 1] with
     * replicated edges. The caller owns and closes it.
     */
    RoiCropper newCropper(int width, int height) {
        return new RoiCropper(width, height, inputMin, inputMax, zeroBorder);
    }

    /**
     * The SSD decoder of a detector stage over an input {@code inputSize} wide.
     *
     * @throws IllegalStateException for a stage that is not a detector
     */
    SsdDecoder newDecoder(float inputSize, float minScore) {
        if (anchors == null) {
            throw new IllegalStateException(this + " is not a detector");
        }
        return new SsdDecoder(anchors, boxValues, keypoints, inputSize, minScore, 100f, 0.3f);
    }
}
