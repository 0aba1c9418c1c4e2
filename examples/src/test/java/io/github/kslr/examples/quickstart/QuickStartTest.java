package io.github.kslr.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.examples.cli.KslrCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's Java example, run on a real clip: it reads every frame and, like {@code kslr recognize}, finds no sign of
 * the demo model's vocabulary.
 */
class QuickStartTest {

    @Test
    void readmeExampleRecognisesWhatTheCommandLineDoes() {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        QuickStart.Result r = QuickStart.recognize(video);
        assertEquals(58, r.frames());
        StringWriter out = new StringWriter();
        int code = KslrCommand.run(
                new PrintWriter(out), new PrintWriter(new StringWriter()), "recognize", video.toString());
        assertEquals(0, code);
        // The demo model knows ASL coffee-shop signs; this clip shows none of them, in both paths.
        String expected = r.sentence().isEmpty() ? "sentence: (nothing recognised)" : "sentence: " + r.sentence();
        assertEquals(true, out.toString().contains(expected), out.toString());
        assertEquals(r.sentence().isEmpty(), r.signs().isEmpty());
    }
}
