package io.github.kslr.examples.web;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web demo: serves the page (camera pane with landmark overlay, transcript, Clear, Speak, Teach a sign) and
 * a WebSocket at {@code /ws} on which the browser streams JPEG frames and the server answers with landmarks,
 * recognised signs and the sentence. Each connection gets its own {@link RecognitionSession} (a landmarker in video
 * mode keeps tracking state per stream); the speech voice and the {@link VocabularyTeacher} (when the server
 * recognises a vocabulary of taught signs) are shared: a sign taught on one page is recognised on every page.
 *
 * <p>Built on Javalin (Jetty 12). Binds to {@code 127.0.0.1} unless told otherwise; WebSocket upgrades from another
 * origin are refused, so a web page elsewhere cannot drive the user's local server.
 *
 * <p><b>Thread-safety.</b> {@link #start()} and {@link #close()} may be called from any thread; close is
 * idempotent and closes every connection's session. The server does not own the session factory's shared models,
 * the speech voice nor the teacher's embedder: the caller closes them after the server.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    static final String WEB_ROOT = "/io/github/kslr/examples/web";

    private final Builder options;
    private final Map<String, DemoConnection> connections = new ConcurrentHashMap<>();
    private Javalin app;
    private boolean closed;

    private DemoServer(Builder options) {
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for a {@link DemoServer}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private Supplier<RecognitionSession> sessions;
        private KhmerSpeech speech;
        private Path video;
        private SignModelMetadata model;
        private int maxFrameBytes = 1 << 20;
        private long maxFramePixels = 1920L * 1080L;
        private VocabularyTeacher teacher;

        private Builder() {
        }

        /** Address to bind; default {@code 127.0.0.1} (only this machine can connect). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** TCP port; 0 picks a free one (see {@link DemoServer#port()}). Default 8080. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Makes one recognition session per connection (required). */
        public Builder sessions(Supplier<RecognitionSession> factory) {
            this.sessions = factory;
            return this;
        }

        /** The voice Speak uses; null (default) disables Speak. */
        public Builder speech(KhmerSpeech voice) {
            this.speech = voice;
            return this;
        }

        /** A video file the page can ask the server to play as its source (for people without a camera). */
        public Builder video(Path file) {
            this.video = file;
            return this;
        }

        /** What the page shows about the sign model (labels, window length); optional. */
        public Builder model(SignModelMetadata metadata) {
            this.model = metadata;
            return this;
        }

        /**
         * The vocabulary "Teach a sign" teaches into: the one the sessions' classifier recognises with, so a taught
         * sign counts at once. Null (default): the page says how to start a server that can teach.
         */
        public Builder teacher(VocabularyTeacher vocabulary) {
            this.teacher = vocabulary;
            return this;
        }

        /** Largest JPEG frame accepted; bigger frames are answered with an error. Default 1 MiB. */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /** Largest decoded frame accepted, in pixels. Default 1920 x 1080. */
        public Builder maxFramePixels(long pixels) {
            this.maxFramePixels = pixels;
            return this;
        }

        /**
         * Checks the options.
         *
         * @throws InvalidInputException for a missing session factory, a port outside 0..65535, a non-positive
         *                               frame limit or a video file that does not exist
         */
        public DemoServer build() {
            Checks.notNull(sessions, "sessions");
            Checks.notNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("port must be in 0..65535, was " + port);
            }
            Checks.positive(maxFrameBytes, "maxFrameBytes");
            if (maxFrameBytes > MAX_FRAME_BYTES_CEILING) {
                throw new InvalidInputException("maxFrameBytes must be <= " + MAX_FRAME_BYTES_CEILING + ", was "
                        + maxFrameBytes);
            }
            if (maxFramePixels <= 0) {
                throw new InvalidInputException("maxFramePixels must be > 0, was " + maxFramePixels);
            }
            if (video != null && !Files.isRegularFile(video)) {
                throw new InvalidInputException("video file " + video.toAbsolutePath() + " does not exist");
            }
            return new DemoServer(this);
        }
    }

    /** Our own limit may not exceed this; Jetty's transport limit is set above it so we can answer, not drop. */
    static final int MAX_FRAME_BYTES_CEILING = 16 << 20;

    /**
     * Starts listening.
     *
     * @return this server
     */
    public synchronized DemoServer start() {
        if (closed) {
            throw new io.github.kslr.api.ClosedException("the demo server is closed");
        }
        if (app != null) {
            return this;
        }
        // Jetty itself drops (closes with 1009) messages above its limit; ours is lower so the client gets a
        // readable error message instead, and the connection survives.
        long transportLimit = Math.max(4L * options.maxFrameBytes, 8L << 20);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.staticFiles.add(WEB_ROOT, Location.CLASSPATH);
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxBinaryMessageSize(transportLimit);
                factory.setMaxTextMessageSize(64 * 1024);
            });
            config.routes.wsBeforeUpgrade("/ws", ctx -> {
                // Cross-site WebSocket hijacking guard: browsers always send Origin; it must name this server.
                String origin = ctx.header("Origin");
                String hostHeader = ctx.header("Host");
                if (origin != null && !sameHost(origin, hostHeader)) {
                    LOG.warn("refused WebSocket upgrade from origin {} (host {})", origin, hostHeader);
                    throw new ForbiddenResponse("WebSocket connections are accepted from this server's own page only");
                }
            });
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> {
                    DemoConnection c = new DemoConnection(ctx, options.sessions, options.speech, options.video,
                            options.model, options.maxFrameBytes, options.maxFramePixels, options.teacher,
                            this::broadcastVocabulary);
                    connections.put(ctx.sessionId(), c);
                    c.open();
                });
                ws.onMessage(ctx -> {
                    DemoConnection c = connections.get(ctx.sessionId());
                    if (c != null) {
                        try {
                            c.onText(ctx.message());
                        } catch (RuntimeException e) {
                            c.sendInternalError(e);
                        }
                    }
                });
                ws.onBinaryMessage(ctx -> {
                    DemoConnection c = connections.get(ctx.sessionId());
                    if (c != null) {
                        try {
                            c.onBinary(ctx.data());
                        } catch (RuntimeException e) {
                            c.sendInternalError(e);
                        }
                    }
                });
                ws.onClose(ctx -> {
                    DemoConnection c = connections.remove(ctx.sessionId());
                    if (c != null) {
                        c.close();
                    }
                });
                ws.onError(ctx -> {
                    LOG.debug("WebSocket error on {}: {}", ctx.sessionId(), String.valueOf(ctx.error()));
                    DemoConnection c = connections.remove(ctx.sessionId());
                    if (c != null) {
                        c.close();
                    }
                });
            });
        });
        app.start(options.host, options.port);
        LOG.info("KSLR web demo on http://{}:{}/", options.host.contains(":") ? "[" + options.host + "]"
                : options.host, app.port());
        return this;
    }

    /** Sends the taught signs to every open page (after one of them taught or deleted a sign). */
    private void broadcastVocabulary() {
        for (DemoConnection c : connections.values()) {
            c.sendVocabulary();
        }
    }

    static boolean sameHost(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI u = URI.create(origin);
            String authority = u.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(hostHeader);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The port the server listens on (useful after {@code port(0)}). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the demo server is not started");
        }
        return app.port();
    }

    /** Number of open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops listening, closes every connection and its session. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (app != null) {
            app.stop();
        }
        for (DemoConnection c : connections.values()) {
            c.close();
        }
        connections.clear();
    }
}
