package io.github.kslr.api.testing;

import io.github.kslr.api.Landmarker;
import io.github.kslr.api.RunningMode;

/**
 * A test's stand-in landmarker in video mode whose subclass says what each frame shows; it keeps no tracking state, so
 * reset and close do nothing.
 *
 * <p><b>Thread-safety.</b> As its subclass; the tests use it from one thread.
 */
public abstract class VideoModeLandmarker implements Landmarker {

    @Override
    public RunningMode runningMode() {
        return RunningMode.VIDEO;
    }

    @Override
    public void reset() {}

    @Override
    public void close() {}
}
