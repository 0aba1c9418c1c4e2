package io.github.kslr.api;

/** The inference runtime failed while running a model that loaded fine (it wraps the runtime's own exception). */
public class InferenceException extends KslrException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
