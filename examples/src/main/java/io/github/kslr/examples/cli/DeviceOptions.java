package io.github.kslr.examples.cli;

import io.github.kslr.api.ExecutionDevice;
import picocli.CommandLine.Option;

/**
 * {@code --device} of the commands that run ONNX models: landmarks, signs and speech (a picocli mixin: one place for the
 * option, its default and how it is read; not thread-safe).
 */
final class DeviceOptions {

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE})")
    String device;

    /** The chosen device; {@link ExecutionDevice#parse} names a value it does not know. */
    ExecutionDevice device() {
        return ExecutionDevice.parse(device);
    }
}
