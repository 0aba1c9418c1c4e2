/**
 * Landmark data files: NumPy {@code .npy} arrays ({@link io.github.kslr.data.Npy},
 * {@link io.github.kslr.data.NpyArray}) and the reports' {@code MP_Data/<sign>/<sequence>/<frame>.npy} folders
 * ({@link io.github.kslr.data.MpDataset}). Read and written by the trainer and the command line; an application that
 * only recognises signs does not need them.
 */
package io.github.kslr.data;
