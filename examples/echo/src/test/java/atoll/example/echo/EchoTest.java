package atoll.example.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atoll.libos.runtime.Launcher;
import atoll.libos.runtime.Running;
import atoll.testkit.Targets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial's appliance answers on loopback, and stays as short as the tutorial says. */
class EchoTest {
    /** docs/tutorial.md promises an appliance in under 100 lines. */
    private static final int TUTORIAL_LINE_LIMIT = 100;

    @TempDir Path tmp;
    Echo echo;
    Running running;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        echo = new Echo();
        running = Launcher.start(echo, "test", new String[] {"--listen=127.0.0.1", "--port=0",
                "--state.dir=" + tmp.resolve("state"), "--log.level=warning"}, Targets.named("socket"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertTrue(running.isRunning(), () -> "did not start: " + err);
    }

    @AfterEach
    void stop() throws InterruptedException {
        var pool = running.devices().network().bufferPool();
        var streamPool = running.devices().network().streamBufferPool();
        assertEquals(0, running.stop(), () -> "clean stop: " + err);
        pool.assertNoLeaks();
        streamPool.assertNoLeaks();
    }

    @Test
    void echoesDatagrams() throws IOException {
        try (DatagramSocket client = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            for (String text : List.of("hello", "", "x".repeat(1400))) {
                byte[] sent = text.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(sent, sent.length, echo.udpAddresses().getFirst()));
                DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
                client.receive(back);
                assertArrayEquals(sent, java.util.Arrays.copyOf(back.getData(), back.getLength()));
            }
        }
    }

    @Test
    void echoesAStreamUntilTheClientCloses() throws IOException {
        byte[] sent = new byte[200_000];
        new java.util.Random(7).nextBytes(sent);
        try (Socket client = new Socket()) {
            client.connect(echo.tcpAddresses().getFirst(), 10_000);
            client.setSoTimeout(10_000);
            // Written from another thread: the echo comes back while we are still sending.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    // Not closed: closing a socket's stream closes the socket; shutdownOutput sends FIN.
                    OutputStream out = client.getOutputStream();
                    out.write(sent);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = client.getInputStream();
            assertArrayEquals(sent, in.readAllBytes());
            writer.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Every Java excerpt in docs/tutorial.md is a piece of this module's source, as it is now. */
    @Test
    void tutorialQuotesTheSource() throws IOException {
        Path dir = Path.of(System.getProperty("atoll.example.dir"));
        Path tutorialFile = dir.resolve("../../docs/tutorial.md");
        // A project forked from this one (./atoll fork echo ...) has no tutorial beside it: reported skipped.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(tutorialFile),
                "no docs/tutorial.md two levels up: a fork of the example, not the example");
        String tutorial = Files.readString(tutorialFile);
        StringBuilder source = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                source.append(Files.readString(p));
            }
        }
        var blocks = java.util.regex.Pattern.compile("```java\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(tutorial);
        int n = 0;
        while (blocks.find()) {
            n++;
            assertTrue(source.toString().contains(blocks.group(1)), "not in the source:\n" + blocks.group(1));
        }
        assertTrue(n >= 5, "the tutorial's Java excerpts were not found");
        String pom = Files.readString(dir.resolve("pom.xml"));
        for (String element : List.of("<mainModule>atoll.example.echo</mainModule>",
                "<mainClass>atoll.example.echo.Echo</mainClass>", "<targets>socket,tap</targets>")) {
            assertTrue(tutorial.contains(element) && pom.contains(element), element);
        }
    }

    @Test
    void sourceStaysUnderTheTutorialsLimit() throws IOException {
        Path src = Path.of(System.getProperty("atoll.example.dir"), "src/main/java");
        long lines;
        try (Stream<Path> files = Files.walk(src)) {
            lines = files.filter(p -> p.toString().endsWith(".java")).mapToLong(p -> {
                try {
                    return Files.readAllLines(p).size();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
        assertTrue(lines > 0 && lines < TUTORIAL_LINE_LIMIT, "src/main/java holds " + lines + " lines");
    }
}
