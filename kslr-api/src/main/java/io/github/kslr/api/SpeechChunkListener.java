package io.github.kslr.api;

/**
 * Receives speech chunk by chunk as {@link KhmerSpeech#synthesize(String, SpeechChunkListener)} makes it, so playback
 * can start after the first chunk. Called on the synthesising thread, in order; an implementation that hands
 * chunks to another thread (e.g. an audio line) must do its own synchronisation. The chunk is the listener's to keep.
 */
@FunctionalInterface
public interface SpeechChunkListener {

    /**
     * @param chunk the audio of one piece of text (a sentence or clause)
     * @param text  the text it speaks
     * @param index 0 for the first chunk
     * @param total number of chunks the text was split into
     * @return true to go on, false to cancel the remaining chunks
     */
    boolean onChunk(AudioClip chunk, String text, int index, int total);
}
