package io.github.kslr.examples.cli;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.landmarks.LandmarkerModels;
import picocli.CommandLine.Option;

/**
 * The landmarker options {@code landmarks} and {@code dataset} share: device, ONNX Runtime threads, the palm
 * fallback and the face branch's thread (a picocli mixin; not thread-safe).
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

    /** The bundled models on the chosen device with the chosen threads; the caller closes them. */
    LandmarkerModels loadModels() {
        return LandmarkerModels.builder()
                .device(ExecutionDevice.parse(device))
                .intraOpThreads(threads)
                .build();
    }
}
