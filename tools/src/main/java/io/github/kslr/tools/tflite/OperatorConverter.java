package io.github.kslr.tools.tflite;

/**
 * Converts one TFLite operator into ONNX nodes of {@code c}'s graph. Implementations are the static methods of the
 * operator families ({@code ConvolutionOps}, {@code PoolingOps}, ...), registered in {@link OperatorConverters#ALL}.
 */
@FunctionalInterface
interface OperatorConverter {
    /**
     * @param in the operator's input tensor indices (-1: an optional input left out)
     * @param out its first output tensor
     * @param options its {@code builtin_options} table, or null when it has none (read it through
     *     {@link BuiltinOptions})
     * @throws UnsupportedOperationException naming what the converter cannot map
     */
    void convert(Conversion c, int[] in, int out, FbTable options);
}
