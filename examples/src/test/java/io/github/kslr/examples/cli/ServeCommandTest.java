package io.github.kslr.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.examples.TestModels;
import io.github.kslr.examples.web.DemoClient;
import io.github.kslr.examples.web.DemoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kslr serve} as a command: starts on the bundled models, serves the page on 127.0.0.1, stops cleanly. */
class ServeCommandTest {

    @Test
    void servesThePageOnLocalhostUntilStopped() throws Exception {
        ServeCommand cmd = new ServeCommand();
        CommandLine cl = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(TestModels.modelOptions());
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(cl.execute(args.toArray(String[]::new))), "serve-under-test");
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        DemoServer server;
        while ((server = cmd.server) == null && t.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertNotNull(server, "the server did not start: " + out);
        try {
            assertTrue(out.toString().contains("http://127.0.0.1:" + server.port() + "/"), out.toString());
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"transcript\""));
        } finally {
            cmd.stop.countDown();
            t.join(30_000);
        }
        assertEquals(0, code.get());
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
            StringWriter err = new StringWriter();
            int code = KslrCommand.run(
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err),
                    "serve",
                    "--port",
                    "0",
                    "--vocabulary",
                    v);
            assertNotEquals(0, code);
            assertTrue(err.toString().contains(Path.of(v).toAbsolutePath().toString()), err.toString());
        }
    }

    @Test
    void missingVideoFileIsAnErrorNamingIt() {
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--video", "no/such/clip.mp4"));
        args.addAll(TestModels.modelOptions());
        int code =
                KslrCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("no/such/clip.mp4"), err.toString());
    }

    @Test
    void anAddressOfAnotherMachineIsSaidToBeOneNotAPortInUse() {
        StringWriter err = new StringWriter();
        int code = KslrCommand.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "serve",
                "--host",
                "10.255.255.1",
                "--port",
                "0");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("10.255.255.1 is not an address of this machine"), err.toString());
        assertTrue(!err.toString().contains("in use"), err.toString());
    }

    @Test
    void aVideoThatCannotBeDecodedIsRefusedAtStart(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.mp4");
        byte[] junk = new byte[200_000];
        new java.util.Random(10).nextBytes(junk);
        Files.write(corrupt, junk);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KslrCommand.run(
                new PrintWriter(out), new PrintWriter(err), "serve", "--port", "0", "--video", corrupt.toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains(corrupt.toAbsolutePath() + " cannot be played"), err.toString());
        assertTrue(!out.toString().contains("loading models"), "refused before loading models: " + out);
    }

    @Test
    void helpSaysWhatTheServerAccepts() {
        StringWriter out = new StringWriter();
        assertEquals(0, KslrCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "serve", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        for (String s : new String[] {"--max-connections", "--allow-host", "DNS rebinding", "oldest frames"}) {
            assertTrue(help.contains(s), s + " in:\n" + help);
        }
        StringWriter err = new StringWriter();
        assertNotEquals(
                0,
                KslrCommand.run(
                        new PrintWriter(new StringWriter()), new PrintWriter(err), "serve", "--max-connections", "0"));
        assertTrue(err.toString().contains("--max-connections must be at least 1, was 0"), err.toString());
    }
}
