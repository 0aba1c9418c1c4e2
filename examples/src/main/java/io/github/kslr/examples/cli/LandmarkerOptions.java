package io.github.kslr.examples.cli;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.landmarks.LandmarkerModels;
import picocli.CommandLine.Option;

/**
 * The landmarker options {@code landmarks} and {@code dataset} share: device, ONNX Runtime threads and the palm
 * fallback (a picocli mixin; not thread-safe).
 */
final class LandmarkerOptions {

    @Option(names = "--no-palm", description = "Holistic's exact behaviour: no palm-detection fallback for hands")
    boolean noPalm;

    @Option(names = "--threads", defaultValue = "1",
            description = "ONNX Runtime threads per model; 0 = one per core (default ${DEFAULT-VALUE}, fastest on a"
                    + " small or busy machine)")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE})")
    String device;

    /** The bundled models on the chosen device with the chosen threads; the caller closes them. */
    LandmarkerModels loadModels() {
        return LandmarkerModels.builder().device(ExecutionDevice.parse(device)).intraOpThreads(threads).build();
    }
}
