package io.github.kslr.tools.models;

import java.util.List;
import java.util.Map;

/**
 * The MediaPipe models KSLR converts, with what their tensors mean. Input ranges, channel order and output meanings
 * come from MediaPipe's graphs ({@code ImageToTensorCalculator} options, {@code Tensors*Calculator} options); the
 * names and shapes are checked against the converted graph.
 *
 * <p>Immutable constants; thread-safe.
 */
public final class ModelCatalog {
    /** One input or output of a model: TFLite name and what it holds. */
    public record Port(String name, String description, double min, double max) {
        static Port of(String name, String description) {
            return new Port(name, description, Double.NaN, Double.NaN);
        }
    }

    /**
     * A model: ONNX file stem, source .tflite, whether the product bundles it, its input and outputs, and TFLite
     * outputs left out of the ONNX graph (with the nodes only they need) and why.
     */
    public record Spec(
            String name,
            String tflite,
            boolean bundled,
            String purpose,
            Port input,
            List<Port> outputs,
            Map<String, String> omitted) {
        public Spec(String name, String tflite, boolean bundled, String purpose, Port input, List<Port> outputs) {
            this(name, tflite, bundled, purpose, input, outputs, Map.of());
        }

        public String onnxFile() {
            return name + ".onnx";
        }
    }

    /** Why pose_landmark_* leave out the segmentation head. */
    static final Map<String, String> NO_SEGMENTATION = Map.of(
            "Identity_2",
            "segmentation logits [N,256,256,1]:"
                    + " Holistic runs with enable_segmentation=false, and the segmentation decoder is most of the model's"
                    + " compute (dropping it made the model about 2.8x faster under ONNX Runtime here)");

    private static final String RGB01 = "RGB image crop, NHWC float32, values in [0, 1] (pixel / 255)";
    private static final String RGB11 = "RGB image, NHWC float32, values in [-1, 1] (pixel / 127.5 - 1)";

    private static List<Port> poseLandmarkOutputs() {
        return List.of(
                Port.of(
                        "Identity",
                        "39 x (x, y, z, visibility logit, presence logit); x, y, z in pixels of the 256x256"
                                + " input (z relative to the hips, same scale as x); landmarks 33, 34 are the ROI points"),
                new Port("Identity_1", "pose presence probability (sigmoid already applied in the model)", 0, 1),
                Port.of("Identity_3", "heatmap logits, 64x64 x 39 landmarks (used for refinement)"),
                Port.of("Identity_4", "39 x (x, y, z) world landmarks in metres, hip-centred"));
    }

    /** Every model, bundled ones first, in the order the manifest lists them. */
    public static final List<Spec> ALL = List.of(
            new Spec(
                    "pose_detection",
                    "pose_detection.tflite",
                    true,
                    "BlazePose detector on the letterboxed full frame (padding black = -1)",
                    new Port("input_1", RGB11 + ", 224x224", -1, 1),
                    List.of(
                            Port.of(
                                    "Identity",
                                    "per anchor (2254): box centre dx, dy, width, height, then 4 keypoints"
                                            + " (x, y), in 224-pixel units relative to the anchor"),
                            Port.of("Identity_1", "per anchor score logit (sigmoid, clipped to +-100, in decoding)"))),
            new Spec(
                    "pose_landmark_full",
                    "pose_landmark_full.tflite",
                    true,
                    "BlazePose landmarks (model complexity 1, MediaPipe Holistic's default)",
                    new Port("input_1", RGB01 + ", 256x256", 0, 1),
                    poseLandmarkOutputs(),
                    NO_SEGMENTATION),
            new Spec(
                    "hand_recrop",
                    "hand_recrop.tflite",
                    true,
                    "Holistic's hand re-crop model: refines the hand ROI derived from the pose",
                    new Port("input_1", RGB01 + ", 256x256", 0, 1),
                    List.of(Port.of(
                            "output_crop",
                            "2 points (x, y) in pixels of the 256x256 input: ROI centre and" + " alignment point"))),
            new Spec(
                    "hand_landmark_full",
                    "hand_landmark_full.tflite",
                    true,
                    "hand landmarks (full)",
                    new Port("input_1", RGB01 + ", 224x224", 0, 1),
                    List.of(
                            Port.of(
                                    "Identity",
                                    "21 x (x, y, z) in pixels of the 224x224 input, z relative to the wrist"),
                            new Port("Identity_1", "hand presence probability (sigmoid in the model)", 0, 1),
                            new Port(
                                    "Identity_2",
                                    "handedness probability of 'Left' for a mirrored image (sigmoid in the"
                                            + " model; unused by Holistic)",
                                    0,
                                    1),
                            Port.of("Identity_3", "21 x (x, y, z) world landmarks in metres"))),
            new Spec(
                    "palm_detection_full",
                    "palm_detection_full.tflite",
                    true,
                    "palm detector (MediaPipe Hands; finds hands without a body)",
                    new Port("input_1", RGB01 + ", 192x192", 0, 1),
                    List.of(
                            Port.of(
                                    "Identity",
                                    "per anchor (2016): box centre dx, dy, width, height, then 7 keypoints"
                                            + " (x, y), in 192-pixel units relative to the anchor"),
                            Port.of("Identity_1", "per anchor score logit"))),
            new Spec(
                    "face_detection_short_range",
                    "face_detection_short_range.tflite",
                    true,
                    "BlazeFace short-range detector, run on the face ROI derived from the pose",
                    new Port("input", RGB11 + ", 128x128", -1, 1),
                    List.of(
                            Port.of(
                                    "regressors",
                                    "per anchor (896): box centre dx, dy, width, height, then 6 keypoints"
                                            + " (x, y), in 128-pixel units relative to the anchor"),
                            Port.of("classificators", "per anchor score logit"))),
            new Spec(
                    "face_landmark",
                    "face_landmark.tflite",
                    true,
                    "face mesh, 468 landmarks (no attention)",
                    new Port("input_1", RGB01 + ", 192x192 (stretched crop)", 0, 1),
                    List.of(
                            Port.of(
                                    "conv2d_21",
                                    "468 x (x, y, z) in pixels of the 192x192 input, z relative to the"
                                            + " head centre"),
                            Port.of("conv2d_31", "face presence logit (apply sigmoid)"))),
            new Spec(
                    "pose_landmark_lite",
                    "pose_landmark_lite.tflite",
                    false,
                    "BlazePose landmarks (model complexity 0)",
                    new Port("input_1", RGB01 + ", 256x256", 0, 1),
                    poseLandmarkOutputs(),
                    NO_SEGMENTATION),
            new Spec(
                    "pose_landmark_heavy",
                    "pose_landmark_heavy.tflite",
                    false,
                    "BlazePose landmarks (model complexity 2)",
                    new Port("input_1", RGB01 + ", 256x256", 0, 1),
                    poseLandmarkOutputs(),
                    NO_SEGMENTATION));

    private ModelCatalog() {}

    public static Spec byName(String name) {
        for (Spec s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown model " + name + "; known: "
                + ALL.stream().map(Spec::name).toList());
    }
}
