package io.github.kslr.api;

/** Text that a voice cannot speak: empty, or with no character in the voice's vocabulary (e.g. only Latin). */
public class UnsupportedTextException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public UnsupportedTextException(String message) {
        super(message);
    }
}
