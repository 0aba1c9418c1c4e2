package io.github.kslr.api;

/**
 * The requested execution device (e.g. CUDA) cannot be used on this machine and the caller did not ask for a CPU
 * fallback. The message says which device and why.
 */
public class DeviceUnavailableException extends KslrException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
