package io.github.kslr.landmarks;

/**
 * The arithmetic of the landmark models ({@link LandmarkerModels.Builder#precision}).
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public enum ModelPrecision {
    /** MediaPipe's float models as converted (fp16 weights computed in float32): MediaPipe's own numbers. */
    FP32,
    /**
     * Static int8 models where they are bundled ({@code NAME.int8.onnx}: QDQ graphs with per-channel int8 weights and
     * per-tensor uint8 activation scales calibrated on real crops), run by ONNX Runtime's integer kernels; the stages
     * without an int8 model run in float. Meant for CPUs with 8-bit dot products (VNNI), at a small landmark error
     * that the int8 parity tests bound; no stage has a bundled int8 model now (README, "Int8 models"), so unless a
     * {@link LandmarkerModels.Builder#modelDirectory} holds one this runs the float models.
     */
    INT8
}
