package io.github.kslr.tts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.AudioClip;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import org.junit.jupiter.api.Test;

class SpeechPlayerTest {

    @Test
    void formatIs16BitSignedLittleEndianMono() {
        AudioFormat f = SpeechPlayer.format(16000);
        assertEquals(16000f, f.getSampleRate());
        assertEquals(16, f.getSampleSizeInBits());
        assertEquals(1, f.getChannels());
        assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
        assertFalse(f.isBigEndian());
    }

    @Test
    void pcmBytesAndStreamCarryTheClippedSamples() throws Exception {
        AudioClip clip = AudioClip.of(new float[] {0f, 0.5f, -0.5f, 1.5f, -2f, 1e-5f}, 16000);
        byte[] pcm = SpeechPlayer.pcm16le(clip);
        short[] back = new short[clip.sampleCount()];
        ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(back);
        // round(s * 32767) with Math.round (halves up): -16383.5 -> -16383.
        assertArrayEquals(new short[] {0, 16384, -16383, 32767, -32768, 0}, back);
        assertArrayEquals(clip.toPcm16(), back);
        try (AudioInputStream in = SpeechPlayer.audioInputStream(clip)) {
            assertEquals(clip.sampleCount(), in.getFrameLength());
            assertArrayEquals(pcm, in.readAllBytes());
        }
    }

    @Test
    void aCancelledPlayerStopsTheSynthesisWithoutOpeningALine() {
        try (SpeechPlayer player = new SpeechPlayer()) {
            player.cancel();
            assertTrue(player.isCancelled());
            assertFalse(player.onChunk(AudioClip.of(new float[16], 16000), "ក", 0, 2));
        }
    }
}
