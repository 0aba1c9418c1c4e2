package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioClipTest {

    @TempDir
    Path dir;

    private static float[] sine(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.8 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return s;
    }

    @Test
    void wavReadsBackWithJavaSound() throws Exception {
        float[] samples = sine(16000);
        samples[0] = 1.5f; // clipped to 32767
        samples[1] = -2f; // clipped to -32768
        samples[2] = 0.5f; // 16383.5 rounds to 16384
        samples[3] = -1f; // -32767
        AudioClip clip = AudioClip.of(samples, 16000);
        Path wav = dir.resolve("out.wav");
        clip.writeWav(wav);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(16000f, f.getSampleRate());
            assertEquals(false, f.isBigEndian());
            assertEquals(16000, in.getFrameLength());
            byte[] data = in.readAllBytes();
            short[] read = new short[data.length / 2];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(read);
            assertArrayEquals(clip.toPcm16(), read);
            assertEquals(32767, read[0]);
            assertEquals(-32768, read[1]);
            assertEquals(16384, read[2]);
            assertEquals(-32767, read[3]);
            assertEquals(Math.round(samples[100] * 32767.0), read[100]);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(wav), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void streamWritingMatchesFileWriting() throws Exception {
        AudioClip clip = AudioClip.of(sine(10_000), 22050);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        clip.writeWav(out);
        assertEquals(44 + 20_000, out.size());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(22050f, in.getFormat().getSampleRate());
            assertEquals(10_000, in.getFrameLength());
        }
    }

    @Test
    void writingIntoAMissingFolderFailsWithoutLeavingAFile() {
        AudioClip clip = AudioClip.of(sine(10), 16000);
        Path bad = dir.resolve("missing").resolve("x.wav");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> clip.writeWav(bad));
        assertTrue(e.getMessage().contains("x.wav"), e.getMessage());
        assertTrue(Files.notExists(bad));
    }

    @Test
    void samplesAreCopiedAndValidated() {
        float[] s = sine(5);
        AudioClip clip = AudioClip.of(s, 16000);
        s[0] = 9;
        assertEquals(0f, clip.sample(0));
        clip.samples()[1] = 9;
        assertEquals(sine(5)[1], clip.sample(1));
        assertThrows(InvalidInputException.class, () -> AudioClip.of(new float[] {0, Float.NaN}, 16000));
        assertThrows(InvalidInputException.class, () -> AudioClip.of(new float[1], 0));
        assertThrows(InvalidInputException.class, () -> AudioClip.of(null, 16000));
        assertThrows(InvalidInputException.class, () -> clip.sample(5));
        assertEquals(5 / 16000.0, clip.durationSeconds(), 1e-12);
    }

    @Test
    void concatJoinsClipsOfOneRate() {
        AudioClip a = AudioClip.of(new float[] {1, 2}, 16000);
        AudioClip b = AudioClip.of(new float[] {3}, 16000);
        assertArrayEquals(
                new float[] {1, 2, 3}, AudioClip.concat(List.of(a, b), 16000).samples());
        assertThrows(
                InvalidInputException.class,
                () -> AudioClip.concat(List.of(a, AudioClip.of(new float[1], 8000)), 16000));
    }
}
