package io.github.kslr.tts;

import io.github.kslr.api.KslrException;

/** Audio could not be played: no sound device or line for the clip's format. The message says which and why. */
public class AudioPlaybackException extends KslrException {
    private static final long serialVersionUID = 1L;

    public AudioPlaybackException(String message, Throwable cause) {
        super(message, cause);
    }
}
