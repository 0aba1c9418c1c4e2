package io.github.kslr.onnx.writer;

/** How {@link OnnxGraphWriter#weight} stores a weight tensor. */
public enum WeightPrecision {
    /** As float32. */
    FLOAT32,
    /** Int8 with one symmetric scale per output channel, dequantised in the graph: a quarter of the size. */
    INT8
}
