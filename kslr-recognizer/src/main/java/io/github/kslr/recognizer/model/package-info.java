/**
 * Writing sign models as ONNX graphs in Java: {@link io.github.kslr.recognizer.model.SignModelBuilder} (the KSL
 * reports' LSTM architecture with given or random weights, an optional normalisation
 * {@link io.github.kslr.recognizer.model.InputStage}, the metadata contract in {@code metadata_props}). Used by tests
 * and benchmarks to make real models without checked-in binaries, and by the trainer to export trained weights.
 */
package io.github.kslr.recognizer.model;
