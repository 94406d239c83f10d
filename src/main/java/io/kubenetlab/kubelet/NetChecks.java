package io.kubenetlab.kubelet;

import io.kubenetlab.k8s.Probe.HttpHeader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * kubelet's tcpSocket and httpGet checks with plain sockets: no process per probe. They run on
 * whatever network namespace the calling thread is in (a node's, see {@link NetnsExecutors}).
 * Failure messages are kubelet's (Go's net/http wording).
 */
public final class NetChecks {
    static final String USER_AGENT = "kube-probe/1.31";

    private NetChecks() {}

    public static ProbeOutcome tcp(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis(timeout));
            return ProbeOutcome.ok();
        } catch (IOException e) {
            return ProbeOutcome.failed(dialError(host, port, e));
        }
    }

    /** Success for a status from 200 to 399, as kubelet (a redirect is a success with a warning there). */
    public static ProbeOutcome http(String host, int port, String path, List<HttpHeader> headers, Duration timeout) {
        String url = "http://" + host + ":" + port + path;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis(timeout));
            s.setSoTimeout(millis(timeout));
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            boolean host0 = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Host"));
            boolean agent = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("User-Agent"));
            boolean accept = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Accept"));
            if (!host0) req.append("Host: ").append(host).append(':').append(port).append("\r\n");
            if (!agent) req.append("User-Agent: ").append(USER_AGENT).append("\r\n");
            if (!accept) req.append("Accept: */*\r\n");
            for (HttpHeader h : headers) req.append(h.name()).append(": ").append(h.value()).append("\r\n");
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            String[] f = status == null ? new String[0] : status.split(" ");
            if (f.length < 2 || !f[0].startsWith("HTTP/")) {
                return ProbeOutcome.failed("Get \"" + url + "\": net/http: HTTP/1.x transport connection broken: malformed HTTP response");
            }
            int code = Integer.parseInt(f[1]);
            if (code >= 200 && code < 400) return ProbeOutcome.ok();
            return ProbeOutcome.failed("HTTP probe failed with statuscode: " + code);
        } catch (SocketTimeoutException e) {
            return ProbeOutcome.failed("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        } catch (NumberFormatException e) {
            return ProbeOutcome.failed("Get \"" + url + "\": malformed HTTP status code");
        } catch (IOException e) {
            return ProbeOutcome.failed("Get \"" + url + "\": " + dialError(host, port, e));
        }
    }

    private static String dialError(String host, int port, IOException e) {
        String dial = "dial tcp " + host + ":" + port + ": ";
        if (e instanceof SocketTimeoutException) return dial + "i/o timeout";
        if (e instanceof ConnectException) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            if (m.contains("refused")) return dial + "connect: connection refused";
            if (m.contains("unreachable")) return dial + "connect: no route to host";
        }
        return dial + e.getMessage();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
