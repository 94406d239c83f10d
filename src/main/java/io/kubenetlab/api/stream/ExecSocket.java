package io.kubenetlab.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.kernel.RunningCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One exec (or attach) over the channel protocol: the command's stdout and stderr go out on their
 * channels, stdin and terminal sizes come in, and when the command has exited and its output is
 * sent, its exit status goes on the error channel as kubelet words it, then a normal close.
 * A client that goes away first takes the command's whole session with it: nothing is left in the pod.
 */
public final class ExecSocket implements Session.Listener.AutoDemanding {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunningCommand command;
    private final String protocol;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final List<String> argv;
    private final AtomicBoolean exited = new AtomicBoolean();
    private volatile WsSender out;

    public ExecSocket(RunningCommand command, String protocol, boolean stdin, boolean stdout, boolean stderr, List<String> argv) {
        this.command = command;
        this.protocol = protocol;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.argv = argv;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        out = new WsSender(session);
        if (!stdin) closeQuietly(command.stdin()); // as kubelet: no stdin stream, the command reads end of file
        Thread o = pump(command.stdout(), stdout ? ChannelProtocol.STDOUT : -1, "stdout");
        Thread e = pump(command.stderr(), stderr ? ChannelProtocol.STDERR : -1, "stderr");
        Thread waiter = new Thread(() -> finish(o, e), "kubenetlab-exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Copies a stream to its channel (or drains it when the client did not ask for it) until end of file. */
    private Thread pump(InputStream in, int channel, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[32 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (n > 0 && channel >= 0) out.send(channel, buf, 0, n);
                }
            } catch (IOException ignored) {
                // the client or the command went away: the waiter or onWebSocketClose deals with it
            }
        }, "kubenetlab-exec-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void finish(Thread o, Thread e) {
        try {
            int code = command.waitFor();
            o.join();
            e.join();
            exited.set(true);
            out.send(ChannelProtocol.ERROR, JSON.writeValueAsBytes(status(code, argv)));
            out.close("");
        } catch (IOException ignored) {
            // the client left before the status: nothing to tell it
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            command.close();
        }
    }

    /**
     * kubelet's status for an exec (pkg/kubelet/cri/streaming/remotecommand/httpstream.go, v4WriteStatusFunc):
     * Success, or Failure with reason NonZeroExitCode and the code as an ExitCode cause, which kubectl
     * turns into its own exit code.
     */
    static ObjectNode status(int code, List<String> argv) {
        ObjectNode s = JSON.createObjectNode();
        s.putObject("metadata");
        if (code == 0) return s.put("status", "Success");
        s.put("status", "Failure");
        s.put("message", "command terminated with non-zero exit code: error executing command " + argv + ", exit code " + code);
        s.put("reason", "NonZeroExitCode");
        ObjectNode cause = s.putObject("details").putArray("causes").addObject();
        cause.put("reason", "ExitCode");
        cause.put("message", Integer.toString(code));
        return s;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (!payload.hasRemaining()) return;
            int channel = payload.get() & 0xff;
            switch (channel) {
                case ChannelProtocol.STDIN -> {
                    if (!stdin) return;
                    byte[] data = new byte[payload.remaining()];
                    payload.get(data);
                    OutputStream in = command.stdin();
                    in.write(data);
                    in.flush();
                }
                case ChannelProtocol.RESIZE -> {
                    byte[] data = new byte[payload.remaining()];
                    payload.get(data);
                    JsonNode size = JSON.readTree(data);
                    int cols = size.path("Width").asInt(0);
                    int rows = size.path("Height").asInt(0);
                    if (cols > 0 && rows > 0) command.resize(cols, rows);
                }
                case ChannelProtocol.CLOSE -> {
                    if (ChannelProtocol.V5.equals(protocol) && payload.hasRemaining() && payload.get() == ChannelProtocol.STDIN) {
                        closeQuietly(command.stdin()); // kubectl's end of stdin: the command reads end of file
                    }
                }
                default -> { } // other channels carry nothing from a client
            }
        } catch (IOException | RuntimeException e) {
            // stdin of a command that exited, a resize that does not parse: the exchange goes on, as kubelet's does
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketText(String message) {
        // the channel protocols are binary
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (!exited.get()) command.kill(); // a client gone (or a connection broken) ends what it started
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (!exited.get()) command.kill();
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
