package io.github.kslr.api;

/**
 * Speaks Khmer text.
 *
 * <p>Implementation: {@code io.github.kslr.tts.VitsKhmerSpeech} in {@code kslr-tts}, which runs an MMS/VITS voice
 * the user supplies (the facebook/mms-tts-khm weights are CC-BY-NC and never bundled).
 *
 * <p><b>Thread-safety.</b> Implementations are safe to share between threads; {@link #close()} is idempotent.
 */
public interface KhmerSpeech extends AutoCloseable {

    /** Samples a second of the audio this voice produces. */
    int sampleRate();

    /**
     * Speaks the whole text as one clip.
     *
     * @throws UnsupportedTextException when the text is empty or has nothing the voice can speak
     * @throws ClosedException          after {@link #close()}
     */
    AudioClip synthesize(String text);

    /**
     * Splits the text at sentence punctuation ({@code ។ ៕ ? ! .}) and speaks it chunk by chunk, handing each chunk
     * to {@code listener} as soon as it is ready. Chunks with nothing speakable are skipped.
     *
     * @return the number of chunks delivered
     * @throws UnsupportedTextException when no chunk has anything speakable
     */
    int synthesize(String text, SpeechChunkListener listener);

    /** Releases native resources. Idempotent. */
    @Override
    void close();
}
