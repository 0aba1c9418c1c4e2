/**
 * Training sign models in Java, without Python: {@link io.github.kslr.train.SignDataset} (NumPy arrays or
 * {@code MP_Data} folders), {@link io.github.kslr.train.Trainer} (a small temporal convolution network or the
 * reports' stacked LSTM, AdamW, augmentation, early stopping, checkpoints, deterministic for a seed),
 * {@link io.github.kslr.train.OnnxExport} (normalisation inside the graph, KSLR metadata, float32 or int8),
 * {@link io.github.kslr.train.Evaluation}, {@link io.github.kslr.train.PerturbationSuite},
 * {@link io.github.kslr.train.RidgeBaseline} and {@link io.github.kslr.train.TrainingReport} (text and PNG charts).
 * The training maths is written here and every gradient is checked against finite differences in the tests.
 */
package io.github.kslr.train;
