package io.github.kslr.api;

/**
 * An argument was null, had the wrong size or shape, held NaN, or was otherwise outside what the method accepts.
 * Thrown before any work is done: nothing was changed.
 */
public class InvalidInputException extends KslrException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
