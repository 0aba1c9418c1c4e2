package io.github.kslr.api;

/**
 * A model could not be loaded: the file is missing or unreadable, is not an ONNX model, or its inputs, outputs or
 * metadata do not match what the component expects. The message names the model and the mismatch.
 */
public class ModelLoadException extends KslrException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
