package io.github.kslr.tools.tflite;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The operators the converter supports, each with its family's converter. Supporting another TFLite operator: name it
 * in {@link BuiltinOperator} (code from schema.fbs), read its options in {@link BuiltinOptions}, write the converter in
 * its family's class, and add one entry here (and a case to {@code OperatorParityTest}).
 */
final class OperatorConverters {
    /** Every supported operator's converter; an operator not in this map fails the conversion, named. */
    static final Map<BuiltinOperator, OperatorConverter> ALL;

    static {
        Map<BuiltinOperator, OperatorConverter> m = new EnumMap<>(BuiltinOperator.class);
        // Convolution and dense layers.
        m.put(BuiltinOperator.CONV_2D, ConvolutionOps::conv2d);
        m.put(BuiltinOperator.DEPTHWISE_CONV_2D, ConvolutionOps::depthwiseConv2d);
        m.put(BuiltinOperator.FULLY_CONNECTED, ConvolutionOps::fullyConnected);
        // Pooling and reductions.
        m.put(BuiltinOperator.MAX_POOL_2D, PoolingOps::maxPool2d);
        m.put(BuiltinOperator.MEAN, PoolingOps::mean);
        // Element-wise arithmetic and activations.
        m.put(BuiltinOperator.ADD, ElementwiseOps::add);
        m.put(BuiltinOperator.MUL, ElementwiseOps::mul);
        m.put(BuiltinOperator.PRELU, ElementwiseOps::prelu);
        m.put(BuiltinOperator.RELU, ElementwiseOps::relu);
        m.put(BuiltinOperator.RELU_N1_TO_1, ElementwiseOps::reluN1To1);
        m.put(BuiltinOperator.RELU6, ElementwiseOps::relu6);
        m.put(BuiltinOperator.TANH, ElementwiseOps::tanh);
        m.put(BuiltinOperator.LOGISTIC, ElementwiseOps::logistic);
        // Shape and tensor moves.
        m.put(BuiltinOperator.PAD, ShapeOps::pad);
        m.put(BuiltinOperator.RESHAPE, ShapeOps::reshape);
        m.put(BuiltinOperator.CONCATENATION, ShapeOps::concatenation);
        m.put(BuiltinOperator.STRIDED_SLICE, ShapeOps::stridedSlice);
        // Spatial resampling.
        m.put(BuiltinOperator.RESIZE_BILINEAR, ResizeOps::resizeBilinear);
        m.put(BuiltinOperator.DEPTH_TO_SPACE, ResizeOps::depthToSpace);
        // Constants, folded at conversion time.
        m.put(BuiltinOperator.DEQUANTIZE, ConstantOps::dequantize);
        m.put(BuiltinOperator.DENSIFY, ConstantOps::densify);
        ALL = Collections.unmodifiableMap(m);
    }

    private OperatorConverters() {}
}
