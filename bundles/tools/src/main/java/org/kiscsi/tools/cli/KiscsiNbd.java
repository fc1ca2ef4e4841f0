package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.export.nbd.NbdExport;
import org.kiscsi.export.nbd.NbdServer;
import org.kiscsi.export.nbd.NbdServerOptions;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/**
 * {@code kiscsi-nbd}: serves one LUN over NBD, as {@code qemu-nbd} serves an image, until it is
 * stopped (SIGINT, SIGTERM): then it answers what clients have outstanding and logs out.
 */
public final class KiscsiNbd extends Tool {
    static final int DEFAULT_PORT = 10809;

    public static void main(String[] args) {
        exit(new KiscsiNbd(), args);
    }

    @Override
    String name() {
        return "kiscsi-nbd";
    }

    @Override
    List<String> optionsWithValue() {
        return List.of("--socket", "-k", "--bind", "-b", "--port", "-p", "--name", "-x", "--description", "-D");
    }

    @Override
    String usage() {
        return """
                Usage: kiscsi-nbd [options] [--socket PATH | --bind ADDR --port N] [--name NAME] [-r] URL
                  Serves the LUN over the Network Block Device protocol until stopped (like qemu-nbd).
                  -k, --socket PATH          listen on this Unix socket (made 0600; its directory must be, or
                                             is created, 0700)
                  -b, --bind ADDR            listen on TCP at ADDR (default 127.0.0.1 when no socket is given)
                  -p, --port N               the TCP port (default 10809)
                  -x, --name NAME            the export's name (default "": the default export)
                  -D, --description TEXT     the export's description for clients
                  -r, --read-only            refuse writes, trims and zeroing
                """;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        String socket = take(o, "-k", "--socket");
        String bind = take(o, "-b", "--bind");
        String port = take(o, "-p", "--port");
        String name = take(o, "-x", "--name");
        String description = take(o, "-D", "--description");
        boolean readOnly = o.rest.remove("-r") | o.rest.remove("--read-only");
        InetSocketAddress tcp = null;
        if (bind != null || port != null || socket == null) {
            tcp = new InetSocketAddress(address(bind == null ? "127.0.0.1" : bind), port(port));
        }
        IscsiUrl url = o.url(oneUrl(o, name()), IscsiUrlParser.Form.LUN, env, err);
        StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout);
        NbdServer server = null;
        try {
            BlockDevice d = kiscsi.openLun(url);
            NbdExport export = Await.result(NbdExport.open(name == null ? "" : name, description == null ? url.display()
                    : description, d, readOnly), o.timeout, url.display() + ": Block Limits and provisioning");
            server = NbdServer.start(NbdServerOptions.DEFAULTS);
            server.addExport(export);
            String exportPath = export.name().isEmpty() ? "" : export.name();
            if (socket != null) {
                Path s = server.listenUnix(Path.of(socket));
                out.println("kiscsi-nbd: serving " + url.display() + " at nbd+unix:///" + exportPath + "?socket=" + s);
            }
            if (tcp != null) {
                InetSocketAddress a = server.listenTcp(tcp);
                String host = a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                        : a.getAddress().getHostAddress();
                out.println("kiscsi-nbd: serving " + url.display() + " at nbd://" + host + ":" + a.getPort() + "/" + exportPath);
            }
            out.flush();
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            kiscsi.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        NbdServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            kiscsi.close();
            stopped.countDown();
        }, "kiscsi-nbd-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String take(ToolOptions o, String shortName, String longName) {
        String value = null;
        for (int i = 0; i < o.rest.size(); i++) {
            String a = o.rest.get(i);
            if (a.equals(shortName) || a.equals(longName)) {
                if (i + 1 >= o.rest.size()) {
                    throw new ToolOptions.UsageException(longName + " needs a value");
                }
                value = o.rest.remove(i + 1);
                o.rest.remove(i);
                i--;
            } else if (a.startsWith(longName + "=")) {
                value = a.substring(longName.length() + 1);
                o.rest.remove(i);
                i--;
            }
        }
        return value;
    }

    private static int port(String text) {
        if (text == null) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ToolOptions.UsageException("--port takes 0..65535, not '" + text + "'");
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text);
        } catch (UnknownHostException e) {
            throw new ToolOptions.UsageException("--bind " + text + ": no such address");
        }
    }
}
