package io.github.kslr.api;

/**
 * Root of every exception KSLR throws on purpose. All KSLR exceptions are unchecked; each message names the
 * offending value and what was expected. Exceptions are not shared mutable state; thread-safety does not apply.
 */
public class KslrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KslrException(String message) {
        super(message);
    }

    public KslrException(String message, Throwable cause) {
        super(message, cause);
    }
}
