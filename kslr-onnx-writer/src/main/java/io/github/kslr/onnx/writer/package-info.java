/**
 * Writing ONNX models in Java. {@link io.github.kslr.onnx.writer.OnnxGraphWriter} is the one graph writer (names,
 * initializers, int8 weights, nodes, the model and its metadata) that the trainer's export, the TFLite converter and
 * {@link io.github.kslr.onnx.writer.SignModelBuilder} (the KSL reports' LSTM architecture with given or random
 * weights and an optional normalisation {@link io.github.kslr.onnx.writer.InputStage}) share. Tests and benchmarks
 * use the builder to make real models without checked-in binaries. Applications that only run models do not need
 * this module.
 */
package io.github.kslr.onnx.writer;
