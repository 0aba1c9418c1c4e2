package io.github.kslr.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Writes a 16-bit mono PCM WAV (RIFF) file chunk by chunk, so that long speech goes to disk as it is made instead of
 * being held whole in memory; {@link #finish()} writes the sizes the header could not know at the start. Samples are
 * converted as {@link AudioClip#writeWav} converts them. Use it inside {@link AtomicFiles#writeChannel}, so that the
 * file appears complete or not at all.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one writer, one thread.
 */
public final class WavWriter {
    /** The most data a RIFF file's 32-bit sizes can describe. */
    private static final long MAX_DATA_BYTES = 0xFFFFFFFFL - 36;

    private final SeekableByteChannel channel;
    private final int sampleRate;
    private final long start;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 14).order(ByteOrder.LITTLE_ENDIAN);
    private long samples;
    private boolean finished;

    /**
     * Writes the header at the channel's position.
     *
     * @param sampleRate samples a second, &gt; 0
     */
    public WavWriter(SeekableByteChannel channel, int sampleRate) throws IOException {
        this.channel = Checks.notNull(channel, "channel");
        this.sampleRate = Checks.positive(sampleRate, "sampleRate");
        this.start = channel.position();
        writeFully(header(sampleRate, 0));
    }

    /** The 44-byte header of a 16-bit mono PCM WAV file holding {@code dataBytes} bytes of samples. */
    static ByteBuffer header(int sampleRate, long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '})
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(sampleRate)
                .putInt(sampleRate * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        return h.flip();
    }

    /**
     * Appends a clip.
     *
     * @throws InvalidInputException for another sample rate, or when the file would pass WAV's 4 GB limit
     */
    public void append(AudioClip clip) throws IOException {
        Checks.notNull(clip, "clip");
        if (finished) {
            throw new IllegalStateException("the WAV file is finished");
        }
        if (clip.sampleRate() != sampleRate) {
            throw new InvalidInputException(
                    "clip at " + clip.sampleRate() + " Hz cannot join a WAV file at " + sampleRate + " Hz");
        }
        if (2 * (samples + clip.sampleCount()) > MAX_DATA_BYTES) {
            throw new InvalidInputException("the speech would pass the 4 GB a WAV file can hold");
        }
        for (int i = 0, n = clip.sampleCount(); i < n; i++) {
            if (!buffer.hasRemaining()) {
                writeFully(buffer.flip());
                buffer.clear();
            }
            buffer.putShort(AudioClip.pcm16(clip.sample(i)));
        }
        writeFully(buffer.flip());
        buffer.clear();
        samples += clip.sampleCount();
    }

    /** Samples written so far. */
    public long sampleCount() {
        return samples;
    }

    /** Writes the final sizes into the header and leaves the channel after the data. Idempotent. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        long end = channel.position();
        channel.position(start);
        writeFully(header(sampleRate, 2 * samples));
        channel.position(end);
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
