package io.github.kslr.examples.cli;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.landmarks.ModelPrecision;
import picocli.CommandLine.Option;

/**
 * The landmarker options {@code landmarks} and {@code dataset} share: device, ONNX Runtime threads, the palm
 * fallback, the face branch's thread and the models' precision (a picocli mixin; not thread-safe).
 */
final class LandmarkerOptions {

    @Option(names = "--no-palm", description = "Holistic's exact behaviour: no palm-detection fallback for hands")
    boolean noPalm;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime threads per model; 0 = one per core (default ${DEFAULT-VALUE}, fastest on a"
                    + " small or busy machine)")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE})")
    String device;

    @Option(
            names = "--face-in-parallel",
            description = "run the face branch on a second thread while the hands are found (faster when a core is"
                    + " free; the same landmarks)")
    boolean faceInParallel;

    @Option(
            names = "--int8",
            description = "the int8 landmark models where bundled (face landmarks): faster on CPUs"
                    + " with 8-bit dot products, within the parity tests' bounds of the float ones; float for the"
                    + " other stages")
    boolean int8;

    /** The bundled models on the chosen device with the chosen threads and precision; the caller closes them. */
    LandmarkerModels loadModels() {
        return LandmarkerModels.builder()
                .device(ExecutionDevice.parse(device))
                .intraOpThreads(threads)
                .precision(int8 ? ModelPrecision.INT8 : ModelPrecision.FP32)
                .build();
    }
}
