package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.testkit.contract.TcpEchoPeer;

/** A {@link TcpEchoPeer} in its own JVM (inside a network namespace); stopped by {@link #close()}. */
final class PeerProcess implements AutoCloseable {
    private static final long START_SECONDS = 20;

    private final Process process;
    final int port;

    private PeerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PeerProcess start(NetNamespace ns, String bindAddress) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = ns.inside(List.of(java, "-cp", System.getProperty("java.class.path"), TcpEchoPeer.class.getName(), bindAddress));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        PeerProcess pp = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null;) {
                        seen.add(line);
                        if (line.startsWith("LISTENING ")) {
                            return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                        }
                    }
                } catch (Exception e) {
                    seen.add(e.toString());
                }
                return -1;
            });
            int port;
            try {
                port = listening.get(START_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                port = -1;
            }
            if (port < 0) {
                fail("echo peer in namespace " + ns.name + " did not start within " + START_SECONDS + " s: " + seen);
            }
            pp = new PeerProcess(p, port);
            return pp;
        } finally {
            if (pp == null) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Closes the peer's stdin (it exits), then kills it if it lingers. */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
