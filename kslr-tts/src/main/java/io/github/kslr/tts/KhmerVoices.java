package io.github.kslr.tts;

import io.github.kslr.api.Checks;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.ModelSource;
import java.nio.file.Path;

/**
 * Opens a voice file as the {@link KhmerSpeech} it is: the one place the command line, the web demo and apps open
 * voices, so that a new voice type (another architecture, another export) is added here once and every caller gets
 * it. Today every voice is a VITS/MMS voice exported to ONNX ({@link VitsKhmerSpeech}).
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class KhmerVoices {
    private KhmerVoices() {}

    /**
     * Opens the voice at {@code voice}.
     *
     * @throws io.github.kslr.api.ModelLoadException when the file is not a voice KSLR can run (the message says why)
     * @throws io.github.kslr.api.DeviceUnavailableException when CUDA was asked for and cannot be used
     */
    public static KhmerSpeech open(Path voice, VitsSpeechOptions options) {
        return open(ModelSource.ofPath(Checks.notNull(voice, "voice")), options);
    }

    /** Opens a voice from any source. */
    public static KhmerSpeech open(ModelSource voice, VitsSpeechOptions options) {
        return VitsKhmerSpeech.open(voice, Checks.notNull(options, "options"));
    }
}
