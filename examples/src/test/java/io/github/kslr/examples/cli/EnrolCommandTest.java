package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.testing.SharedFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kslr enrol --sign LABEL TAKE...}: teaching one sign from video takes. */
class EnrolCommandTest {

    /** {@code kslr enrol --vocabulary VOCAB ARGS...}. */
    private static String[] enrol(Path vocab, String... args) {
        return run("enrol", List.of("--vocabulary", vocab.toString()), args);
    }

    @Test
    void teachesASignFromVideoTakesAndRecognisesIt(@TempDir Path tmp) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        // A recordings folder as kslr collect writes it (OUT/SIGN/take-NNN.mp4); other files in it are ignored.
        Path folder = Files.createDirectories(tmp.resolve("recordings/wave"));
        Files.copy(video, folder.resolve("take-001.mp4"));
        Files.writeString(folder.resolve("notes.txt"), "not a take");
        Path vocab = tmp.resolve("signs.vocab");
        String[] r = enrol(vocab, "--sign", "wave", "--khmer", "គ្រវីដៃ", video.toString(), folder.toString());
        assertEquals("0", r[0], r[2]);
        // Each take says which of its frames were taken.
        assertTrue(
                Pattern.compile("take .*test_video\\.mp4: frames \\d+-\\d+ \\(\\d+-\\d+ ms\\), hands in \\d+")
                        .matcher(r[1])
                        .find(),
                r[1]);
        assertTrue(r[1].contains("take-001.mp4: frames"), r[1]);
        assertTrue(r[1].contains("taught 'wave': 2 takes"), r[1]);
        String[] list = run("vocabulary", "list", vocab.toString());
        // The bundled embedder's layout mirrors: each take's mirror image is enrolled too, unless asked not to.
        assertTrue(list[1].contains("wave\twave\tគ្រវីដៃ\t2 takes and their mirror images"), list[1]);
        Path plain = tmp.resolve("plain.vocab");
        assertSucceeded(enrol(plain, "--sign", "wave", "--no-mirrored-takes", video.toString(), video.toString()));
        String plainList = run("vocabulary", "list", plain.toString())[1];
        assertTrue(plainList.contains("wave\twave\t\t2 takes\n"), plainList);

        // The clip the sign was taught from is recognised as it, best where the takes' window was (this clip's hands
        // come and go, so windows are cut with the hand-loss policy KEEP).
        String[] rec = run(
                "recognize",
                video.toString(),
                "--vocabulary",
                vocab.toString(),
                "--json",
                "--windows",
                "--hand-loss",
                "KEEP");
        assertEquals("0", rec[0], rec[2]);
        JsonObject o = JsonParser.parseString(rec[1]).getAsJsonObject();
        double best = 0;
        for (JsonElement e : o.getAsJsonArray("windows")) {
            JsonObject w = e.getAsJsonObject();
            if (w.get("recognized").getAsBoolean()
                    && w.get("label").getAsString().equals("wave")) {
                best = Math.max(best, w.get("confidence").getAsDouble());
            }
        }
        assertTrue(best > 0.99, rec[1]);

        // Enrolling again adds takes.
        String[] more = enrol(vocab, "--sign", "wave", video.toString());
        assertSucceeded(more, "added to 'wave': 1 takes");
        assertTrue(run("vocabulary", "list", vocab.toString())[1].contains("3 takes"));
    }

    @Test
    void refusesTakesItCannotUseAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path vocab = tmp.resolve("signs.vocab");
        BufferedImage gray = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Path noHands = tmp.resolve("empty.jpg");
        ImageIO.write(gray, "jpg", noHands.toFile());

        String[] none = enrol(vocab, "--sign", "wave", video.toString(), noHands.toString());
        assertRefused(none, "empty.jpg", "no frame of the take shows a hand");
        assertFalse(Files.exists(vocab), "nothing written");

        String[] one = enrol(vocab, "--sign", "wave", video.toString());
        assertRefused(one, "at least 2 takes");

        String[] missing =
                enrol(vocab, "--sign", "wave", tmp.resolve("nope.mp4").toString(), video.toString());
        assertRefused(missing, "neither a video nor a folder");

        Path emptyFolder = Files.createDirectories(tmp.resolve("empty"));
        String[] folder = enrol(vocab, "--sign", "wave", emptyFolder.toString());
        assertRefused(folder, "holds no video");

        String[] noSign = enrol(vocab, "--sign", "-", video.toString(), video.toString());
        assertRefused(noSign, "cannot be taught");

        String[] both = enrol(vocab, "--sign", "wave", video.toString(), "--data", tmp.toString(), "--labels", "a");
        assertRefused(both, "either --sign");
        String[] noTakes = enrol(vocab, "--sign", "wave");
        assertRefused(noTakes, "at least one TAKE");
        String[] shotsWithSign = enrol(vocab, "--sign", "wave", "--shots", "3", video.toString());
        assertRefused(shotsWithSign);
        assertFalse(Files.exists(vocab), "nothing written");
    }
}
