/**
 * Interop with the reports' authors' data: NumPy {@code .npy} files ({@link io.github.kslr.recognizer.io.Npy},
 * {@link io.github.kslr.recognizer.io.NpyArray}) and the {@code MP_Data/<sign>/<sequence>/<frame>.npy} folder
 * layout ({@link io.github.kslr.recognizer.io.MpDataset}). Used by the recognizer's tools and by the trainer.
 */
package io.github.kslr.recognizer.io;
