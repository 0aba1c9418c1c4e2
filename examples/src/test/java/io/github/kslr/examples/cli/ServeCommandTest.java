package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.examples.TestModels;
import io.github.kslr.examples.web.DemoClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kslr serve} as a command: starts on the bundled models, serves the page on 127.0.0.1, stops cleanly. */
class ServeCommandTest {

    @Test
    void servesThePageOnLocalhostUntilStopped() throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(TestModels.modelOptions());
        // Closing the run stops the command and checks that it exited with 0.
        try (ServeRun s = ServeRun.start(args.toArray(String[]::new))) {
            assertTrue(s.output().contains("http://127.0.0.1:" + s.port() + "/"), s.output());
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"transcript\""));
        }
    }

    @Test
    void withAVocabularyItCreatesTheFileAndTeaches(@TempDir Path dir) throws Exception {
        Path vocabulary = dir.resolve("signs.vocab");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--vocabulary", vocabulary.toString()));
        if (TestModels.landmarkModels() != null) {
            args.addAll(List.of("--landmark-models", TestModels.landmarkModels().toString()));
        }
        try (ServeRun s = ServeRun.start(args.toArray(String[]::new))) {
            assertTrue(Files.isRegularFile(vocabulary), "created at start");
            assertTrue(s.output().contains("vocabulary " + vocabulary.toAbsolutePath() + ": 0 signs"), s.output());
            // The page hears that this server teaches.
            DemoClient c = DemoClient.connect(s.port(), null);
            String h = c.messages.poll(10, TimeUnit.SECONDS);
            c.ws.abort();
            assertNotNull(h, "no hello within 10 s");
            assertTrue(
                    h.contains("\"type\":\"hello\"")
                            && h.contains("\"teach\":true")
                            && h.contains("\"vocabularyFile\":\"signs.vocab\""),
                    h);
        }
    }

    @Test
    void aVocabularyInAMissingFolderOrAFolderIsAnErrorNamingIt(@TempDir Path dir) {
        for (String v : new String[] {dir.resolve("no/such/signs.vocab").toString(), dir.toString()}) {
            assertRefused(
                    run("serve", "--port", "0", "--vocabulary", v),
                    Path.of(v).toAbsolutePath().toString());
        }
    }

    @Test
    void missingVideoFileIsAnErrorNamingIt() {
        assertRefused(
                run("serve", TestModels.modelOptions(), "--port", "0", "--video", "no/such/clip.mp4"),
                "no/such/clip.mp4");
    }

    @Test
    void anAddressOfAnotherMachineIsSaidToBeOneNotAPortInUse() {
        String[] r = run("serve", "--host", "10.255.255.1", "--port", "0");
        assertRefused(r, "10.255.255.1 is not an address of this machine");
        assertTrue(!r[2].contains("in use"), r[2]);
    }

    @Test
    void aVideoThatCannotBeDecodedIsRefusedAtStart(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.mp4");
        byte[] junk = new byte[200_000];
        new java.util.Random(10).nextBytes(junk);
        Files.write(corrupt, junk);
        String[] r = run("serve", "--port", "0", "--video", corrupt.toString());
        assertRefused(r, corrupt.toAbsolutePath() + " cannot be played");
        assertTrue(!r[1].contains("loading models"), "refused before loading models: " + r[1]);
    }

    @Test
    void helpSaysWhatTheServerAccepts() {
        String[] r = run("serve", "--help");
        assertEquals("0", r[0], r[2]);
        String help = r[1].replaceAll("\\s+", " ");
        for (String s : new String[] {"--max-connections", "--allow-host", "DNS rebinding", "oldest frames"}) {
            assertTrue(help.contains(s), s + " in:\n" + help);
        }
        assertRefused(run("serve", "--max-connections", "0"), "--max-connections must be at least 1, was 0");
    }
}
