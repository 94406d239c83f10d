package io.kubenetlab.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.api.stream.AttachedOutput;
import io.kubenetlab.api.stream.ChannelProtocol;
import io.kubenetlab.api.stream.ExecSocket;
import io.kubenetlab.api.stream.PortForwardChannels;
import io.kubenetlab.api.stream.PortForwardSession;
import io.kubenetlab.api.stream.SpdyTunnel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The pods' streaming subresources over WebSockets: {@code exec} and {@code attach} (the channel
 * protocols v5 and v4) and {@code portforward} (kubectl's SPDY tunnel, or fabric8's channels). The
 * request is checked (token, pod, container, parameters) and the command started before the upgrade,
 * so a mistake is answered as the API server answers it: an HTTP error with a Status.
 */
final class PodStreams implements Request.Handler {
    private static final Pattern PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(exec|attach|portforward)/?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of(ChannelProtocol.V5, ChannelProtocol.V4);
    private static final List<String> PORT_FORWARD = List.of(ChannelProtocol.SPDY_PORT_FORWARD, ChannelProtocol.V4);

    private final ApiBackend backend;
    private final Predicate<String> authorized;
    private final ServerWebSocketContainer container;

    PodStreams(Server server, ApiBackend backend, Predicate<String> authorized, Duration idleTimeout) {
        this.backend = backend;
        this.authorized = authorized;
        this.container = ServerWebSocketContainer.ensure(server);
        container.setIdleTimeout(idleTimeout);
        container.setMaxBinaryMessageSize(16L * 1024 * 1024);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Matcher m = PATH.matcher(request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath());
        if (!m.matches()) return false;
        String namespace = m.group(1);
        String pod = m.group(2);
        String sub = m.group(3);
        try {
            if (!authorized.test(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                throw new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, List.of());
            }
            Fields q = Request.extractQueryParameters(request);
            // The request's mistakes first, whatever the protocol: kubectl falls back from a failed WebSocket
            // upgrade to SPDY, and the user should read the first answer's reason in the second's.
            if (sub.equals("portforward")) {
                ports(q);
                backend.checkStream(namespace, pod, null, false);
            } else {
                streams(q, sub);
                backend.checkStream(namespace, pod, q.getValue("container"), true);
            }
            if (!"websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
                // SPDY upgrades are not served: kubectl 1.30+ asks for a WebSocket first and uses it.
                throw ApiException.badRequest("Upgrade request required: this server streams pods/" + sub + " over WebSockets only");
            }
            boolean upgraded = container.upgrade((req, resp, cb) -> endpoint(req, resp, cb, namespace, pod, sub, q), request, response, callback);
            if (!upgraded) throw ApiException.badRequest("not a WebSocket upgrade request");
        } catch (ApiException e) {
            fail(response, callback, e);
        }
        return true;
    }

    /** exec's and attach's parameters, checked as kubelet's remotecommand options are. */
    private static void streams(Fields q, String sub) {
        if (!isTrue(q, "stdin") && !isTrue(q, "stdout") && !isTrue(q, "stderr")) {
            throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        if (sub.equals("exec") && q.getValuesOrEmpty("command").isEmpty()) {
            throw ApiException.badRequest("you must specify at least one command for the container");
        }
    }

    /** port-forward's ports; kubectl's SPDY tunnel names them in each stream instead, so none is fine. */
    private static List<Integer> ports(Fields q) {
        List<Integer> ports = new ArrayList<>();
        for (String v : q.getValuesOrEmpty("ports")) {
            for (String p : v.split(",")) ports.add(port(p.trim()));
        }
        return ports;
    }

    /** The endpoint for an accepted upgrade, or null after answering the request with an error. */
    private Object endpoint(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback cb, String namespace, String pod, String sub, Fields q) {
        try {
            if (sub.equals("portforward")) return portForward(req, resp, namespace, pod, q);
            String protocol = ChannelProtocol.choose(req.getSubProtocols(), CHANNELS);
            if (protocol == null) throw ApiException.badRequest("no supported protocol among " + req.getSubProtocols() + ": " + CHANNELS);
            boolean stdin = isTrue(q, "stdin");
            boolean stdout = isTrue(q, "stdout");
            boolean stderr = isTrue(q, "stderr");
            boolean tty = isTrue(q, "tty");
            String containerName = q.getValue("container");
            io.kubenetlab.kernel.RunningCommand command;
            List<String> argv = q.getValuesOrEmpty("command");
            if (sub.equals("exec")) {
                command = backend.exec(namespace, pod, containerName, argv, tty, 80, 24);
            } else {
                // attach's container is checked as exec's is; its output is the container's own
                java.nio.file.Path first = backend.logFile(namespace, pod, containerName);
                command = new AttachedOutput(() -> {
                    try {
                        return backend.logFile(namespace, pod, containerName);
                    } catch (ApiException gone) {
                        return first;
                    }
                }, () -> backend.cache().get(Resources.PODS, ObjectCache.key(namespace, pod)) != null);
            }
            resp.setAcceptedSubProtocol(protocol);
            return new ExecSocket(command, protocol, stdin, stdout, stderr && !tty, argv);
        } catch (ApiException e) {
            fail(resp, cb, e);
            return null;
        }
    }

    private Object portForward(ServerUpgradeRequest req, ServerUpgradeResponse resp, String namespace, String pod, Fields q) {
        String protocol = ChannelProtocol.choose(req.getSubProtocols(), PORT_FORWARD);
        if (protocol == null) throw ApiException.badRequest("no supported protocol among " + req.getSubProtocols() + ": " + PORT_FORWARD);
        PortForwardSession.Connector connector = port -> backend.connect(namespace, pod, port);
        resp.setAcceptedSubProtocol(protocol);
        if (protocol.equals(ChannelProtocol.SPDY_PORT_FORWARD)) return new SpdyTunnel(connector, pod);
        List<Integer> ports = ports(q);
        if (ports.isEmpty()) throw ApiException.badRequest("at least one port must be specified");
        return new PortForwardChannels(ports, connector, pod);
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p > 0 && p < 65536) return p;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiException.badRequest("unable to parse \"" + s + "\" as a port: port must be > 0 and < 65536");
    }

    private static boolean isTrue(Fields q, String name) {
        String v = q.getValue(name);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    private static void fail(Response response, Callback callback, ApiException e) {
        try {
            byte[] body = JSON.writeValueAsBytes(ApiServer.status(e));
            response.setStatus(e.code());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body), callback);
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            callback.failed(x);
        }
    }
}
