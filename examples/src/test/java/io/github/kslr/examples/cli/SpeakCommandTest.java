package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.AudioClip;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.tts.VitsKhmerSpeech;
import io.github.kslr.tts.VitsSpeechOptions;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeakCommandTest {
    private static final String TEXT = "ខ្ញុំឈ្មោះសុខា។ សួស្តី ពិភពលោក";

    private static Path voice() {
        return SharedFiles.require("fixtures/tts/tiny-khm-voice.onnx");
    }

    @Test
    void speakWritesTheVoicesSpeechAsWav(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        String[] r = run(
                "speak",
                TEXT,
                "--voice",
                voice().toString(),
                "--out",
                wav.toString(),
                "--deterministic",
                "--threads",
                "1");
        assertSucceeded(r, "2 sentence(s)");
        AudioClip expected;
        try (VitsKhmerSpeech speech = VitsKhmerSpeech.open(
                voice(), VitsSpeechOptions.builder().deterministic().build())) {
            expected = speech.synthesize(TEXT);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(wav));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            assertEquals(16000f, f.getSampleRate());
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            byte[] bytes = in.readAllBytes();
            short[] back = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(back);
            assertArrayEquals(expected.toPcm16(), back);
        }
    }

    @Test
    void badInputGivesAClearMessageAndNonZeroExit(@TempDir Path dir) throws Exception {
        String wav = dir.resolve("x.wav").toString();
        String[] noTarget = run("speak", TEXT, "--voice", voice().toString());
        assertRefused(noTarget, "--out");

        String[] latin = run("speak", "Hello!", "--voice", voice().toString(), "--out", wav);
        assertEquals("1", latin[0]);
        assertTrue(latin[2].contains("nothing this voice can speak"), latin[2]);

        // Digits only: spoken as Khmer words by default, nothing to speak when left as written.
        String year0 = dir.resolve("year.wav").toString();
        String[] year = run("speak", "២០២៦", "--voice", voice().toString(), "--out", year0);
        assertEquals("0", year[0], year[2]);
        String[] digits = run("speak", "២០២៦", "--voice", voice().toString(), "--out", wav, "--digits-as-written");
        assertEquals("1", digits[0]);
        assertTrue(digits[2].contains("nothing this voice can speak"), digits[2]);

        String[] rate = run("speak", TEXT, "--voice", voice().toString(), "--out", wav, "--rate", "-1");
        assertEquals("1", rate[0]);
        assertTrue(rate[2].contains("speakingRate"), rate[2]);

        Path notOnnx = dir.resolve("voice.onnx");
        Files.writeString(notOnnx, "not a model");
        String[] bad = run("speak", TEXT, "--voice", notOnnx.toString(), "--out", wav);
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("cannot load model"), bad[2]);
        assertTrue(Files.notExists(dir.resolve("x.wav")));
    }
}
