package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    /** Chunk by chunk gives the same bytes as the whole clip at once. */
    @Test
    void streamingMatchesTheWholeClip(@TempDir Path dir) throws Exception {
        AudioClip a = AudioClip.of(new float[] {0f, 0.5f, -0.5f, 1.2f}, 16000);
        float[] longer = new float[20000];
        for (int i = 0; i < longer.length; i++) {
            longer[i] = (float) Math.sin(i * 0.01);
        }
        AudioClip b = AudioClip.of(longer, 16000);
        Path wav = dir.resolve("s.wav");
        AtomicFiles.writeChannel(wav, ch -> {
            WavWriter w = new WavWriter(ch, 16000);
            w.append(a);
            w.append(b);
            w.finish();
        });
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        AudioClip.concat(List.of(a, b), 16000).writeWav(whole);
        assertArrayEquals(whole.toByteArray(), Files.readAllBytes(wav));
    }

    @Test
    void refusesAnotherRate(@TempDir Path dir) {
        assertThrows(
                InvalidInputException.class,
                () -> AtomicFiles.writeChannel(
                        dir.resolve("x.wav"),
                        ch -> new WavWriter(ch, 16000).append(AudioClip.of(new float[1], 22050))));
        assertArrayEquals(new String[0], dir.toFile().list());
    }
}
