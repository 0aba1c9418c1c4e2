package io.github.kslr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.testing.SharedFiles;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract} on a real standalone Spark cluster on 127.0.0.1: a master and a worker started here from the Spark
 * home the build assembles ({@code target/spark-home/jars}), the job submitted to it by a driver JVM of its own (the
 * command line's main class), executors in their own JVMs started by the worker. Its tables hold what local mode's
 * hold: the library's landmarks, exactly.
 */
class StandaloneClusterTest {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopCluster() throws InterruptedException {
        // Executors first (children of the worker), then the worker and the master: the last started first.
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void extractOnAStandaloneClusterEqualsLocalMode() throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path sparkHome = Path.of(System.getProperty("kslr.spark.home", "target/spark-home"))
                .toAbsolutePath();
        assertTrue(Files.isDirectory(sparkHome.resolve("jars")), sparkHome + "/jars is made by the build");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(video, in.resolve("a.mp4"));
        byte[] noise = new byte[4096];
        new Random(16).nextBytes(noise);
        Files.write(in.resolve("corrupt.mp4"), noise);

        int masterPort = freePort();
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        String sparkJars = sparkHome.resolve("jars") + File.separator + "*";
        start(
                "master",
                sparkHome,
                List.of(
                        "-cp",
                        sparkJars,
                        "org.apache.spark.deploy.master.Master",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(masterPort),
                        "--webui-port",
                        Integer.toString(freePort())));
        waitForPort(masterPort);
        start(
                "worker",
                sparkHome,
                List.of(
                        "-cp",
                        sparkJars,
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        "2",
                        "--memory",
                        "3g",
                        "--webui-port",
                        Integer.toString(freePort()),
                        "--work-dir",
                        dir.resolve("work").toString(),
                        masterUrl));

        // The driver: the command line's main class in a JVM of its own; executors get this module's classes and
        // dependencies from the class path given here (a cluster with a shared file system would do the same).
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path clusterOut = dir.resolve("cluster-out");
        List<String> driverArgs = new ArrayList<>(List.of(
                "-cp",
                classPath,
                "-Dspark.driver.host=127.0.0.1",
                "-Dspark.executor.extraClassPath=" + classPath,
                "-Dspark.executor.memory=1g",
                "io.github.kslr.spark.KslrSpark",
                "extract",
                "--master",
                masterUrl,
                "--input",
                in.toString(),
                "--output",
                clusterOut.toString(),
                "--max-frames",
                "10"));
        Process driver = start("driver", sparkHome, driverArgs);
        assertTrue(driver.waitFor(4, TimeUnit.MINUTES), "the driver did not finish in 4 minutes");
        String stdout = Files.readString(dir.resolve("driver.out"), StandardCharsets.UTF_8);
        assertEquals(0, driver.exitValue(), stdout + Files.readString(dir.resolve("driver.err")));
        List<String> lines = stdout.lines().toList();
        assertEquals("videos=2 done=1 skipped=0 failed=1 frames=10", lines.get(lines.size() - 1));
        // Executors ran in JVMs the worker started: their logs are in its work folder.
        try (Stream<Path> s = Files.walk(dir.resolve("work"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("stderr")), "no executor ran on the worker");
        }

        // Local mode's tables equal the library's landmarks exactly (ExtractJobTest): the cluster's must too.
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("kslr-spark cluster test")
                .getOrCreate();
        try {
            List<Row> rows = spark.read()
                    .parquet(clusterOut.resolve("frames").toString())
                    .orderBy("frame")
                    .collectAsList();
            List<HolisticLandmarks> frames = new ArrayList<>();
            for (Row r : rows) {
                assertEquals(VideoInputs.id(in.resolve("a.mp4")), r.getString(r.fieldIndex("video_id")));
                frames.add(FramesTable.toLandmarks(r));
            }
            assertEquals(Reference.landmarks(video, 10), frames);
            List<Row> failures = spark.read()
                    .parquet(clusterOut.resolve("failures").toString())
                    .collectAsList();
            assertEquals(1, failures.size());
            assertEquals(
                    VideoInputs.id(in.resolve("corrupt.mp4")), failures.get(0).getString(0));
        } finally {
            spark.stop();
        }
    }

    /** Starts a JVM with Spark's Java 17 flags, its output in {@code dir/NAME.out} and {@code .err}. */
    private Process start(String name, Path sparkHome, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                Arrays.asList(System.getProperty("kslr.spark.jvmFlags", "").split(" +")));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the master did not listen on port " + port + " within 60 s");
    }
}
