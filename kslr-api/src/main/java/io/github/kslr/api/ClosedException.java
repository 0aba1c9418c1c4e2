package io.github.kslr.api;

/** A component was used after {@code close()}. */
public class ClosedException extends KslrException {
    private static final long serialVersionUID = 1L;

    public ClosedException(String what) {
        super(what + " is closed");
    }
}
