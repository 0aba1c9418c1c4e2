/**
 * Landmark data files: NumPy {@code .npy} arrays ({@link io.github.kslr.data.Npy},
 * {@link io.github.kslr.data.NpyArray}), the reports' {@code MP_Data/<sign>/<sequence>/<frame>.npy} folders
 * ({@link io.github.kslr.data.MpDataset}) and pose-format's {@code .pose} files ({@link io.github.kslr.data.PoseFile};
 * {@link io.github.kslr.data.HolisticPose} maps them to and from {@code HolisticLandmarks}). Read and written by the
 * trainer and the command line; an application that only recognises signs does not need them.
 */
package io.github.kslr.data;
