package io.github.kslr.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Mono audio: float samples (nominally in [-1, 1]) at a sample rate.
 *
 * <p>{@link #writeWav} writes 16-bit PCM WAV: each sample scaled by 32767, rounded and clipped to the 16-bit range.
 *
 * <p><b>Thread-safety.</b> Immutable: samples are copied in and out.
 */
public final class AudioClip {
    private final float[] samples;
    private final int sampleRate;

    private AudioClip(float[] samples, int sampleRate) {
        this.samples = samples;
        this.sampleRate = sampleRate;
    }

    /**
     * @param samples    copied; must be finite
     * @param sampleRate samples a second, &gt; 0
     */
    public static AudioClip of(float[] samples, int sampleRate) {
        Checks.notNull(samples, "samples");
        Checks.positive(sampleRate, "sampleRate");
        Checks.finite(samples, 0, samples.length, "samples");
        return new AudioClip(samples.clone(), sampleRate);
    }

    /** The clips one after another; all must share one sample rate. */
    public static AudioClip concat(List<AudioClip> clips, int sampleRate) {
        Checks.notNull(clips, "clips");
        Checks.positive(sampleRate, "sampleRate");
        int n = 0;
        for (AudioClip c : clips) {
            Checks.notNull(c, "clip");
            if (c.sampleRate != sampleRate) {
                throw new InvalidInputException(
                        "clip at " + c.sampleRate + " Hz cannot join clips at " + sampleRate + " Hz");
            }
            n = Math.addExact(n, c.samples.length);
        }
        float[] out = new float[n];
        int at = 0;
        for (AudioClip c : clips) {
            System.arraycopy(c.samples, 0, out, at, c.samples.length);
            at += c.samples.length;
        }
        return new AudioClip(out, sampleRate);
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int sampleCount() {
        return samples.length;
    }

    public float sample(int i) {
        if (i < 0 || i >= samples.length) {
            throw new InvalidInputException("sample index must be in [0, " + samples.length + "), was " + i);
        }
        return samples[i];
    }

    /** A copy of the samples. */
    public float[] samples() {
        return samples.clone();
    }

    public double durationSeconds() {
        return (double) samples.length / sampleRate;
    }

    /** Samples as 16-bit PCM: {@code round(s * 32767)} clipped to [-32768, 32767]. */
    public short[] toPcm16() {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = pcm16(samples[i]);
        }
        return out;
    }

    static short pcm16(float s) {
        long v = Math.round(s * 32767.0);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    /** Writes a 16-bit mono PCM WAV (RIFF) file to {@code out}; does not close it. */
    public void writeWav(OutputStream out) throws IOException {
        Checks.notNull(out, "out");
        int dataBytes = Math.multiplyExact(samples.length, 2);
        out.write(WavWriter.header(sampleRate, dataBytes).array());
        ByteBuffer chunk = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putShort(pcm16(s));
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /**
     * Writes a 16-bit mono PCM WAV file. The file appears complete or not at all: it is written to a temporary file
     * beside {@code path} and moved into place.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public void writeWav(Path path) {
        Checks.notNull(path, "path");
        Path abs = path.toAbsolutePath();
        try {
            AtomicFiles.write(abs, this::writeWav);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write WAV file " + abs + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioClip
                && ((AudioClip) o).sampleRate == sampleRate
                && Arrays.equals(((AudioClip) o).samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * sampleRate + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "AudioClip[" + samples.length + " samples, " + sampleRate + " Hz, "
                + String.format(java.util.Locale.ROOT, "%.3f", durationSeconds()) + " s]";
    }
}
