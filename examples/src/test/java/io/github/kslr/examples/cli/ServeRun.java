package io.github.kslr.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.kslr.examples.web.DemoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * {@code kslr serve ARGS} running in-process on its own thread, for tests that need the command's own wiring (the
 * web demo's browser tests): started by {@link #start}, stopped by {@link #close}, which checks it exited with 0.
 *
 * <p><b>Thread-safety.</b> For one test thread.
 */
public final class ServeRun implements AutoCloseable {
    private final ServeCommand cmd = new ServeCommand();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger code = new AtomicInteger(-1);
    private final Thread thread;
    private final DemoServer server;

    private ServeRun(String... args) throws InterruptedException {
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        thread = new Thread(() -> code.set(cl.execute(args)), "serve-under-test");
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        DemoServer s;
        while ((s = cmd.server) == null && thread.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (s == null) {
            cmd.stop.countDown();
            thread.join(30_000);
        }
        assertNotNull(s, "kslr serve did not start (exit " + code.get() + "):\n" + out + err);
        server = s;
    }

    /** Starts {@code kslr serve args...} and waits until it listens (at most 60 s). */
    public static ServeRun start(String... args) throws InterruptedException {
        return new ServeRun(args);
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** What the command printed so far. */
    public String output() {
        return out.toString();
    }

    /** Stops the command (as Ctrl-C would) and checks it exited with 0. */
    @Override
    public void close() throws InterruptedException {
        cmd.stop.countDown();
        thread.join(30_000);
        assertEquals(0, code.get(), "kslr serve exit code; output:\n" + out + err);
    }
}
