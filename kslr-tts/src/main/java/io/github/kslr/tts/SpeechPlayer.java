package io.github.kslr.tts;

import io.github.kslr.api.AudioClip;
import io.github.kslr.api.Checks;
import io.github.kslr.api.SpeechChunkListener;
import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays speech through {@code javax.sound.sampled}: 16-bit signed little-endian mono PCM, the same samples
 * {@link AudioClip#writeWav} writes.
 *
 * <p>As a {@link SpeechChunkListener} it plays chunks as they arrive, so playback starts after the first sentence:
 * <pre>{@code
 * try (SpeechPlayer player = new SpeechPlayer()) {
 *     speech.synthesize(text, player);
 * }   // close() waits until the last chunk has been heard
 * }</pre>
 * {@link #onChunk} blocks while the line's buffer is full (so synthesis stays about one chunk ahead) and returns
 * false once {@link #cancel()} was called, which stops the remaining synthesis.
 *
 * <p><b>Thread-safety.</b> {@link #onChunk} is called by one synthesising thread at a time; {@link #cancel()} may be
 * called from any thread. <b>Ownership.</b> The sound line belongs to this player and is released by {@link #close()}.
 */
public final class SpeechPlayer implements SpeechChunkListener, AutoCloseable {
    private SourceDataLine line;
    private int lineRate;
    private volatile boolean cancelled;
    private boolean closed;

    /** Plays the clip and returns when it has been heard. */
    public static void play(AudioClip clip) {
        Checks.notNull(clip, "clip");
        try (SpeechPlayer p = new SpeechPlayer()) {
            p.write(clip);
        }
    }

    /** The format KSLR plays and writes: {@code sampleRate} Hz, 16-bit signed, little-endian, mono. */
    public static AudioFormat format(int sampleRate) {
        Checks.positive(sampleRate, "sampleRate");
        return new AudioFormat(sampleRate, 16, 1, true, false);
    }

    /** The clip as 16-bit little-endian PCM bytes, samples scaled and clipped as {@link AudioClip#toPcm16()}. */
    public static byte[] pcm16le(AudioClip clip) {
        Checks.notNull(clip, "clip");
        short[] pcm = clip.toPcm16();
        byte[] out = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            out[2 * i] = (byte) pcm[i];
            out[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return out;
    }

    /** The clip as an {@link AudioInputStream} (for {@code AudioSystem.write} or a {@code Clip}). */
    public static AudioInputStream audioInputStream(AudioClip clip) {
        byte[] pcm = pcm16le(clip);
        return new AudioInputStream(new ByteArrayInputStream(pcm), format(clip.sampleRate()), clip.sampleCount());
    }

    @Override
    public boolean onChunk(AudioClip chunk, String text, int index, int total) {
        if (cancelled) {
            return false;
        }
        write(chunk);
        return !cancelled;
    }

    /** Stops playback after the chunk being written; the next {@link #onChunk} cancels the synthesis. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    private void write(AudioClip clip) {
        if (closed) {
            throw new IllegalStateException("SpeechPlayer is closed");
        }
        if (line == null || lineRate != clip.sampleRate()) {
            closeLine(true);
            line = open(clip.sampleRate());
            lineRate = clip.sampleRate();
        }
        byte[] pcm = pcm16le(clip);
        // write() blocks until the line has taken all bytes: playback paces the caller.
        int at = 0;
        while (at < pcm.length && !cancelled) {
            at += line.write(pcm, at, Math.min(pcm.length - at, 8192));
        }
    }

    private static SourceDataLine open(int sampleRate) {
        AudioFormat format = format(sampleRate);
        try {
            SourceDataLine l = AudioSystem.getSourceDataLine(format);
            l.open(format);
            l.start();
            return l;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new AudioPlaybackException(
                    "cannot play " + format + ": no sound output line is available (" + e.getMessage()
                            + "); write a WAV file instead",
                    e);
        }
    }

    private void closeLine(boolean drain) {
        if (line != null) {
            if (drain && !cancelled) {
                line.drain();
            } else {
                line.flush();
            }
            line.close();
            line = null;
        }
    }

    /** Waits until everything written has been heard (unless cancelled), then releases the line. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeLine(true);
        }
    }
}
