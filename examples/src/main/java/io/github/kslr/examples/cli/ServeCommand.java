package io.github.kslr.examples.cli;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.examples.pipeline.SdkModels;
import io.github.kslr.examples.web.DemoServer;
import io.github.kslr.examples.web.VocabularyTeacher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr serve}: the live web demo (camera pane with the landmark overlay, transcript, Clear, Speak) on
 * http://127.0.0.1:8080/. Runs until interrupted (Ctrl-C).
 *
 * <p><b>Thread-safety.</b> A picocli command object: configured and run once, on one thread; {@link #stop} may be
 * counted down from any thread. It owns the models and the server it starts and closes them on return.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the live web demo: open the printed address in a browser, turn the camera on and sign;"
                    + " the page shows the landmarks, the recognised signs and the Khmer sentence, and Speak says it.",
            "The browser sends camera frames to this server over a WebSocket; nothing leaves this machine. Without a"
                    + " camera, --video FILE lets the page play a video file through the same pipeline.",
            "With --vocabulary V the page recognises the signs taught to V and can teach new ones (Teach a sign: type"
                    + " the Khmer word, record a few takes); V is created when missing and saved after every change, so a"
                    + " restart keeps what was taught. Stop the server before changing V with kslr vocabulary or enrol.",
            "The server answers only to its own names (localhost, 127.0.0.1, [::1], the --host address, names given"
                    + " with --allow-host) on its port: a request naming another host is refused (421), which stops a"
                    + " page elsewhere from reaching it through DNS rebinding. It accepts --max-connections pages at"
                    + " once; a page that reads slower than the server's video plays loses the oldest frames (counted in"
                    + " its stats) instead of making the server hold them."
        })
public final class ServeCommand extends CommandBase {

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "address to listen on, one of this machine's (default ${DEFAULT-VALUE}: this machine only;"
                    + " 0.0.0.0 opens it to the network, answering to this machine's addresses and name)")
    String host;

    @Option(
            names = "--allow-host",
            paramLabel = "NAME",
            description = "a further host name the server answers to (repeatable), e.g. the name other machines"
                    + " reach it by; requests naming any other host are refused")
    List<String> allowHosts = new ArrayList<>();

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "" + DemoServer.DEFAULT_MAX_CONNECTIONS,
            description = "most pages connected at once (default ${DEFAULT-VALUE}); one more is refused with a"
                    + " message saying so")
    int maxConnections;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port, 0 for any free one" + " (default ${DEFAULT-VALUE})")
    int port;

    @CommandLine.Mixin
    RecognitionOptions recognition;

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "a video file the page can play as its source, for people without a camera")
    Path video;

    @Option(
            names = "--max-frame-bytes",
            defaultValue = "1048576",
            description = "largest JPEG frame accepted from a browser (default ${DEFAULT-VALUE})")
    int maxFrameBytes;

    /** Set by tests to stop the server; the command otherwise runs until the JVM is interrupted. */
    CountDownLatch stop = new CountDownLatch(1);
    /** The running server, for tests. */
    volatile DemoServer server;

    @Override
    public Integer call() throws InterruptedException {
        if (video != null && !java.nio.file.Files.isRegularFile(video)) {
            throw usageError("--video " + video.toAbsolutePath() + " does not exist or is not a file");
        }
        // Checked before the models load: a wrong address or a bad video is said at once, and for what it is.
        try {
            DemoServer.checkBindAddress(host);
        } catch (InvalidInputException e) {
            throw usageError("--host: " + e.getMessage());
        }
        if (maxConnections < 1) {
            throw usageError("--max-connections must be at least 1, was " + maxConnections);
        }
        if (video != null) {
            try {
                DemoServer.checkVideo(video);
            } catch (InvalidInputException e) {
                throw usageError("--video: " + e.getMessage());
            }
        }
        Path vocabulary = recognition.vocabulary;
        if (vocabulary != null) {
            Path parent = vocabulary.toAbsolutePath().getParent();
            if (java.nio.file.Files.isDirectory(vocabulary)) {
                throw usageError("--vocabulary " + vocabulary.toAbsolutePath()
                        + " is a folder; name a file (it is created when missing)");
            }
            if (!java.nio.file.Files.exists(vocabulary)
                    && (parent == null || !java.nio.file.Files.isDirectory(parent))) {
                throw usageError(
                        "--vocabulary " + vocabulary.toAbsolutePath() + ": the folder " + parent + " does not exist");
            }
        }
        PrintWriter out = out();
        out.println("loading models...");
        out.flush();
        RecognitionOptions.Loaded loaded = recognition.load(true);
        try (SdkModels models = loaded.models()) {
            // The page teaches into the very vocabulary the sessions recognise with, so a taught sign counts at once.
            VocabularyTeacher teacher = loaded.vocabulary() == null
                    ? null
                    : VocabularyTeacher.open(vocabulary, loaded.vocabulary(), loaded.embedder());
            if (teacher != null) {
                out.printf(
                        "vocabulary %s: %d signs; teach more from the page (Teach a sign)%n",
                        teacher.file(), teacher.signs().size());
            }
            serve(models, teacher, out);
        }
        return 0;
    }

    private void serve(SdkModels models, VocabularyTeacher teacher, PrintWriter out) throws InterruptedException {
        try (DemoServer s = DemoServer.builder()
                .host(host)
                .port(port)
                .sessions(models::newSession)
                .speech(models.voice())
                .video(video)
                .model(models.signModel())
                .teacher(teacher)
                .maxFrameBytes(maxFrameBytes)
                .maxConnections(maxConnections)
                .allowHosts(allowHosts)
                .build()) {
            s.start();
            server = s;
            Thread hook = new Thread(stop::countDown, "kslr-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            String shown = host.contains(":") ? "[" + host + "]" : host;
            out.printf(
                    "KSLR live demo: http://%s:%d/  (Ctrl-C to stop)%n",
                    "0.0.0.0".equals(host) ? "localhost" : shown, s.port());
            out.flush();
            stop.await();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook ran
            }
        } finally {
            server = null;
        }
    }
}
