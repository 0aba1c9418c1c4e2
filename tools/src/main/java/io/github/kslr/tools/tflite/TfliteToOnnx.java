package io.github.kslr.tools.tflite;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Converts a float TFLite model (one subgraph, NHWC) to an ONNX graph that ONNX Runtime runs fast.
 *
 * <p>Layout: each 4-D graph input keeps TFLite's NHWC shape with a free batch dimension {@code N} and is transposed to
 * NCHW once at the start; every 4-D activation stays NCHW inside (weights are permuted at conversion time, so no
 * per-layer transposes), and outputs get TFLite's names and NHWC shapes (batch dimension {@code N}) back. Tensors that
 * TFLite reshapes are turned back to NHWC just before the reshape, so the element order is TFLite's.
 *
 * <p>Weights: FLOAT16 buffers (TFLite's {@code DEQUANTIZE} from fp16) stay FLOAT16 initializers followed by a
 * {@code Cast} to float (lossless; ONNX Runtime folds it when it loads the model); sparse weights ({@code DENSIFY})
 * become dense. An operator, option or tensor type the converter does not handle fails the conversion with its name.
 *
 * <p>Supported operators: CONV_2D, DEPTHWISE_CONV_2D, ADD, MUL, PAD, MAX_POOL_2D, RESHAPE, CONCATENATION, PRELU, RELU,
 * RELU6, RELU_N1_TO_1, TANH, LOGISTIC, MEAN, FULLY_CONNECTED, RESIZE_BILINEAR, DEPTH_TO_SPACE, STRIDED_SLICE,
 * DEQUANTIZE (of fp16 constants) and DENSIFY (of constants), with fused activations NONE, RELU, RELU6 and
 * RELU_N1_TO_1 (CONCATENATION: none).
 *
 * <p>Structure: {@link Conversion} holds one conversion's state and layout helpers; each operator family
 * ({@code ConvolutionOps}, {@code PoolingOps}, {@code ElementwiseOps}, {@code ShapeOps}, {@code ResizeOps},
 * {@code ConstantOps}) converts its operators, registered by {@link BuiltinOperator} in {@link OperatorConverters};
 * options tables are read by name through {@link BuiltinOptions}.
 *
 * <p>Stateless: {@link #convert} may be called from several threads at once.
 */
public final class TfliteToOnnx {
    /** The ONNX opset the converted graphs use (ReduceMean still takes its axes as an attribute there). */
    public static final int OPSET = 17;
    /** ONNX IR version written (IR 8 goes with opset 17). */
    public static final int IR_VERSION = 8;
    /** The name of the free batch dimension of every input and output. */
    public static final String BATCH_DIM = "N";

    /**
     * What to write into the model besides the graph, and which TFLite outputs to leave out ({@code dropOutputs}: the
     * nodes only they need are removed too).
     */
    public record Options(String graphName, String docString, Map<String, String> metadata, Set<String> dropOutputs) {
        public Options {
            metadata = new LinkedHashMap<>(metadata);
            dropOutputs = Set.copyOf(dropOutputs);
        }

        public Options(String graphName, String docString, Map<String, String> metadata) {
            this(graphName, docString, metadata, Set.of());
        }
    }

    private TfliteToOnnx() {}

    /** The name of a TFLite builtin operator code, or "BUILTIN_n" when the converter does not know it. */
    public static String opName(int code) {
        return BuiltinOperator.nameOf(code);
    }

    /**
     * Converts {@code model}.
     *
     * @throws UnsupportedOperationException naming the operator (and its index) or option the converter cannot map
     */
    public static ModelProto convert(TfliteModel model, Options options) {
        return new Conversion(model).convert(options);
    }
}
