package io.github.kslr.examples.web;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.github.kslr.video.VideoFrames;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Built on Javalin (Jetty 12). Binds to {@code 127.0.0.1} unless told otherwise. What it accepts:
 * <ul>
 *   <li><b>Hosts.</b> Every request (page and WebSocket upgrade) must name the server in its Host header: a loopback
 *       name ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), the bound address, this machine's addresses and
 *       name for a wildcard bind, or a name allowed by {@link Builder#allowHost}, with the server's port; anything
 *       else is answered 421 and logged. This defeats DNS rebinding (a page on a name that is made to resolve to
 *       127.0.0.1). A WebSocket upgrade whose Origin is not such a name and port is refused (403), so a web page
 *       elsewhere cannot drive the user's local server.</li>
 *   <li><b>Connections.</b> At most {@link Builder#maxConnections} WebSockets at a time; one more is closed at once
 *       with code 1013 and a reason naming the limit.</li>
 *   <li><b>Slow readers.</b> Server-video frames wait in a short per-connection queue ({@link SendQueue}): a page
 *       that reads slower than the video plays loses the oldest frames (counted, logged, and sent to the page as
 *       {@code dropped}); a page that stops reading altogether is disconnected once 32 MiB of other messages
 *       wait.</li>
 * </ul>
 *
 * <p><b>Thread-safety.</b> {@link #start()} and {@link #close()} may be called from any thread; close is
 * idempotent and closes every connection's session. The server does not own the session factory's shared models,
 * the speech voice nor the teacher's embedder: the caller closes them after the server.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    static final String WEB_ROOT = "/io/github/kslr/examples/web";

    private final Builder options;
    private final AllowedHosts hosts;
    private final Map<String, DemoConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong refusedHosts = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();
    private Javalin app;
    private volatile int boundPort = -1;
    private boolean closed;

    private DemoServer(Builder options, AllowedHosts hosts) {
        this.options = options;
        this.hosts = hosts;
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
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
        private final List<String> allowedHosts = new ArrayList<>();

        private Builder() {}

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

        /**
         * Most WebSocket connections open at once (each page holds one, with its own recognition session of some
         * tens of MB); one more is closed at once with code 1013. Default {@value #DEFAULT_MAX_CONNECTIONS}.
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Most server-video frames that wait to be sent on one connection; when a page reads slower than the video
         * plays, a new frame replaces the oldest waiting one. Default {@value #DEFAULT_MAX_QUEUED_FRAMES}.
         */
        public Builder maxQueuedFrames(int frames) {
            this.maxQueuedFrames = frames;
            return this;
        }

        /**
         * A further name the server answers to (beside the loopback names and the bound address), for a page opened
         * by a name this machine has on the network; a host name or an IP address, without port.
         */
        public Builder allowHost(String name) {
            this.allowedHosts.add(name);
            return this;
        }

        /** {@link #allowHost} for each name. */
        public Builder allowHosts(java.util.Collection<String> names) {
            names.forEach(this::allowHost);
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
         * @throws InvalidInputException for a missing session factory, a port outside 0..65535, a host that is not
         *                               an address of this machine, a non-positive frame or connection limit, an
         *                               allowed host that is not a host name, or a video file that does not exist
         *                               or whose first frame cannot be decoded
         */
        public DemoServer build() {
            Checks.notNull(sessions, "sessions");
            Checks.notNull(host, "host");
            checkBindAddress(host);
            checkWithin(maxConnections, 1, MAX_CONNECTIONS_CEILING, "maxConnections");
            checkWithin(maxQueuedFrames, 1, 1000, "maxQueuedFrames");
            AllowedHosts hosts = AllowedHosts.of(host, allowedHosts);
            checkWithin(port, 0, 65535, "port");
            Checks.positive(maxFrameBytes, "maxFrameBytes");
            if (maxFrameBytes > MAX_FRAME_BYTES_CEILING) {
                throw new InvalidInputException(
                        "maxFrameBytes must be <= " + MAX_FRAME_BYTES_CEILING + ", was " + maxFrameBytes);
            }
            if (maxFramePixels <= 0) {
                throw new InvalidInputException("maxFramePixels must be > 0, was " + maxFramePixels);
            }
            if (video != null) {
                checkVideo(video);
            }
            return new DemoServer(this, hosts);
        }
    }

    /** Throws unless {@code min <= value <= max}, naming the option. */
    private static void checkWithin(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new InvalidInputException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }

    /** Default of {@link Builder#maxConnections}: a few pages and tabs on one machine. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16;

    static final int MAX_CONNECTIONS_CEILING = 1024;
    /** Default of {@link Builder#maxQueuedFrames}: about a third of a second of video. */
    public static final int DEFAULT_MAX_QUEUED_FRAMES = 8;

    /**
     * Checks that {@code host} can be listened on: a name that resolves to an address of this machine (or a wildcard
     * address), before anything starts.
     *
     * @throws InvalidInputException naming the host and why it cannot be bound
     */
    public static void checkBindAddress(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host.strip());
        } catch (UnknownHostException e) {
            throw new InvalidInputException("cannot listen on '" + host + "': no such host name or address");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress()
                    || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = true; // cannot tell: let the bind itself say
        }
        if (!local) {
            throw new InvalidInputException("cannot listen on " + host + ": " + address.getHostAddress()
                    + " is not an address of this machine (use 127.0.0.1 for this machine only, 0.0.0.0 for every"
                    + " network, or one of this machine's addresses)");
        }
    }

    /**
     * Checks that a video file opens and its first frame decodes, so that a bad file is refused at start rather than
     * when a page plays it.
     *
     * @throws InvalidInputException naming the file and FFmpeg's reason
     */
    public static void checkVideo(Path video) {
        if (!Files.isRegularFile(video)) {
            throw new InvalidInputException("video file " + video.toAbsolutePath() + " does not exist");
        }
        try (VideoFrames frames = VideoFrames.open(video.toString())) {
            frames.acceptPartial(true).next();
        } catch (KslrException e) {
            throw new InvalidInputException(
                    "video file " + video.toAbsolutePath() + " cannot be played: " + e.getMessage(), e);
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
            // DNS rebinding guard: every request, the page's as well as the WebSocket upgrade, must name this server.
            config.routes.before(this::checkHost);
            config.routes.wsBeforeUpgrade("/ws", ctx -> {
                checkHost(ctx);
                // Cross-site WebSocket hijacking guard: browsers always send Origin; it must name this server too.
                String origin = ctx.header("Origin");
                if (origin != null && !hosts.allowsOrigin(origin, boundPort)) {
                    logRefusal(
                            "refused WebSocket upgrade from {}: Origin {} is not a page of this server",
                            ctx.req().getRemoteAddr(),
                            abbreviate(origin));
                    throw new ForbiddenResponse("WebSocket connections are accepted from this server's own page only");
                }
            });
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> {
                    DemoConnection c = new DemoConnection(
                            ctx,
                            options.sessions,
                            options.speech,
                            options.video,
                            options.model,
                            options.maxFrameBytes,
                            options.maxFramePixels,
                            options.teacher,
                            this::broadcastVocabulary,
                            options.maxQueuedFrames);
                    int open;
                    synchronized (connections) {
                        open = connections.size();
                        if (open < options.maxConnections) {
                            connections.put(ctx.sessionId(), c);
                        }
                    }
                    if (open >= options.maxConnections) {
                        long n = refusedConnections.incrementAndGet();
                        if (n <= 10 || n % 100 == 0) {
                            LOG.warn(
                                    "refused a WebSocket from {}: {} connections are open, the limit ({} refused so"
                                            + " far)",
                                    ctx.session.getRemoteSocketAddress(),
                                    open,
                                    n);
                        }
                        ctx.closeSession(
                                1013,
                                "too many connections: this server accepts " + options.maxConnections
                                        + " at a time (kslr serve --max-connections)");
                        return;
                    }
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
        try {
            app.start(options.host, options.port);
        } catch (RuntimeException e) {
            Javalin failed = app;
            app = null;
            try {
                failed.stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw bindFailure(e);
        }
        boundPort = app.port();
        LOG.info(
                "KSLR web demo on http://{}:{}/",
                options.host.contains(":") ? "[" + options.host + "]" : options.host,
                app.port());
        return this;
    }

    /** Sends the taught signs to every open page (after one of them taught or deleted a sign). */
    private void broadcastVocabulary() {
        for (DemoConnection c : connections.values()) {
            c.sendVocabulary();
        }
    }

    /** Answers 421 to a request whose Host header does not name this server (and logs it). */
    private void checkHost(io.javalin.http.Context ctx) {
        String host = ctx.header("Host");
        if (!hosts.allowsHost(host, boundPort)) {
            logRefusal(
                    "refused {} {} from {}: Host {} is not a name of this server (allowed: {}, port {})",
                    ctx.method(),
                    abbreviate(ctx.path()),
                    ctx.req().getRemoteAddr(),
                    host == null ? "(none)" : abbreviate(host),
                    hosts,
                    boundPort);
            throw new HttpResponseException(
                    421,
                    "this server does not answer to the host " + (host == null ? "(none)" : abbreviate(host))
                            + "; open it as http://localhost:" + boundPort + "/");
        }
    }

    /** Logs the first refusals and then every 100th, so a flood of forged requests cannot flood the log. */
    private void logRefusal(String format, Object... args) {
        long n = refusedHosts.incrementAndGet();
        if (n <= 20 || n % 100 == 0) {
            LOG.warn(format + (n > 20 ? " (" + n + " refused so far)" : ""), args);
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }

    /** Javalin calls every bind failure "Port already in use": say what really failed. */
    private KslrException bindFailure(RuntimeException e) {
        String where = (options.host.contains(":") ? "[" + options.host + "]" : options.host) + ":" + options.port;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if (m.contains("in use")) {
                    return new KslrException(
                            "cannot listen on " + where + ": the port is already in use (another"
                                    + " server? choose another --port, or 0 for any free one)",
                            e);
                }
                if (m.contains("assign") || m.contains("not available")) {
                    return new KslrException(
                            "cannot listen on " + where + ": " + options.host + " is not an"
                                    + " address of this machine (" + t.getMessage() + ")",
                            e);
                }
                return new KslrException("cannot listen on " + where + ": " + t.getMessage(), e);
            }
        }
        return new KslrException("cannot start the web demo on " + where + ": " + e.getMessage(), e);
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

    /** The names this server answers to (for the start-up message). */
    public java.util.Set<String> allowedHosts() {
        return hosts.names();
    }

    /** The open connections (for tests). */
    java.util.Collection<DemoConnection> connections() {
        return connections.values();
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
