package io.kubenetlab.manifest;

import io.kubenetlab.k8s.LifecycleHandler;
import io.kubenetlab.k8s.Probe;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.Probe.ExecAction;
import io.kubenetlab.k8s.Probe.HttpGetAction;
import io.kubenetlab.k8s.Probe.HttpHeader;
import io.kubenetlab.k8s.Probe.TcpSocketAction;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a container's readinessProbe, livenessProbe or startupProbe, validating as the API server
 * does and wording errors like it ({@code Invalid value: 0: must be greater than or equal to 1}).
 * One difference: an explicit 0 for a period, timeout or threshold is an error here, where the API
 * server (which cannot tell 0 from absent) would silently default it.
 */
final class ProbeParser {
    static final Pattern HTTP_HEADER = Pattern.compile("[-A-Za-z0-9]+");
    private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");

    private ProbeParser() {}

    /** {@code kind} is readinessProbe, livenessProbe or startupProbe; ports are the container's. */
    static Probe parse(YamlNode n, String kind, List<ContainerPort> ports) {
        n.checkFields("exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
                "successThreshold", "failureThreshold", "terminationGracePeriodSeconds");
        YamlNode handler = null;
        for (String h : HANDLERS) {
            YamlNode node = n.get(h).orElse(null);
            if (node == null) continue;
            if (handler != null) throw node.error("Forbidden: may not specify more than 1 handler type");
            handler = node;
        }
        if (handler == null) throw n.error("Required value: must specify a handler type");
        ExecAction exec = null;
        HttpGetAction http = null;
        TcpSocketAction tcp = null;
        switch (handler.path().substring(handler.path().lastIndexOf('.') + 1)) {
            case "exec" -> exec = exec(handler);
            case "httpGet" -> http = httpGet(handler, ports);
            case "tcpSocket" -> tcp = tcpSocket(handler, ports);
            default -> throw handler.error("grpc probes are not supported by kubenetlab (use exec, httpGet or tcpSocket)");
        }
        int delay = atLeast(n, "initialDelaySeconds", 0, 0);
        int period = atLeast(n, "periodSeconds", Probe.DEFAULT_PERIOD, 1);
        int timeout = atLeast(n, "timeoutSeconds", Probe.DEFAULT_TIMEOUT, 1);
        int success = atLeast(n, "successThreshold", Probe.DEFAULT_SUCCESS, 1);
        int failure = atLeast(n, "failureThreshold", Probe.DEFAULT_FAILURE, 1);
        if (!kind.equals("readinessProbe") && success != 1) {
            throw n.require("successThreshold").error("Invalid value: " + success + ": must be 1");
        }
        Integer grace = null;
        YamlNode g = n.get("terminationGracePeriodSeconds").orElse(null);
        if (g != null) {
            if (kind.equals("readinessProbe")) throw g.error("Invalid value: " + g.integer() + ": must not be set for readinessProbes");
            grace = g.integer();
            if (grace < 1) throw g.error("Invalid value: " + grace + ": must be greater than 0");
        }
        return new Probe(exec, http, tcp, delay, period, timeout, success, failure, grace);
    }

    /**
     * A lifecycle hook's handler (upstream's LifecycleHandler): exactly one of exec, httpGet or sleep;
     * tcpSocket is accepted by upstream but never run, so it is refused here.
     */
    static LifecycleHandler lifecycleHandler(YamlNode n, List<ContainerPort> ports) {
        n.checkFields("exec", "httpGet", "tcpSocket", "sleep");
        YamlNode handler = null;
        for (String h : List.of("exec", "httpGet", "tcpSocket", "sleep")) {
            YamlNode node = n.get(h).orElse(null);
            if (node == null) continue;
            if (handler != null) throw node.error("Forbidden: may not specify more than 1 handler type");
            handler = node;
        }
        if (handler == null) throw n.error("Required value: must specify a handler type");
        return switch (handler.path().substring(handler.path().lastIndexOf('.') + 1)) {
            case "exec" -> new LifecycleHandler(exec(handler), null, null);
            case "httpGet" -> new LifecycleHandler(null, httpGet(handler, ports), null);
            case "sleep" -> {
                handler.checkFields("seconds");
                YamlNode sec = handler.require("seconds");
                int seconds = sec.integer();
                if (seconds < 0) throw sec.error("Invalid value: " + seconds + ": must be non-negative");
                yield new LifecycleHandler(null, null, seconds);
            }
            default -> throw handler.error("tcpSocket lifecycle hooks are deprecated and never run: use exec, httpGet or sleep");
        };
    }

    private static int atLeast(YamlNode n, String field, int def, int min) {
        YamlNode v = n.get(field).orElse(null);
        if (v == null) return def;
        int i = v.integer();
        if (i < min) throw v.error("Invalid value: " + i + ": must be greater than or equal to " + min);
        return i;
    }

    private static ExecAction exec(YamlNode n) {
        n.checkFields("command");
        List<String> command = n.get("command").map(YamlNode::strings).orElse(List.of());
        if (command.isEmpty()) throw n.errorAt("command", "Required value");
        return new ExecAction(command);
    }

    private static HttpGetAction httpGet(YamlNode n, List<ContainerPort> ports) {
        n.checkFields("path", "port", "host", "scheme", "httpHeaders");
        String scheme = n.optString("scheme", "HTTP");
        if (!scheme.equals("HTTP")) {
            throw n.require("scheme").error("Unsupported value: \"" + scheme + "\": supported values: \"HTTP\" (kubenetlab has no TLS)");
        }
        String path = n.optString("path", "/");
        if (!path.startsWith("/")) path = "/" + path; // Go's url.URL does the same when it joins host and path
        List<HttpHeader> headers = new ArrayList<>();
        for (YamlNode h : n.get("httpHeaders").map(YamlNode::items).orElse(List.of())) {
            h.checkFields("name", "value");
            String name = h.require("name").string();
            if (!HTTP_HEADER.matcher(name).matches()) {
                throw h.require("name").error("Invalid value: \"" + name + "\": a valid HTTP header must consist of alphanumeric "
                        + "characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')");
            }
            headers.add(new HttpHeader(name, h.optString("value", "")));
        }
        PortRef port = port(n, ports);
        return new HttpGetAction(path, port.number(), port.name(), n.get("host").map(YamlNode::string).orElse(null), headers);
    }

    private static TcpSocketAction tcpSocket(YamlNode n, List<ContainerPort> ports) {
        n.checkFields("port", "host");
        PortRef port = port(n, ports);
        return new TcpSocketAction(port.number(), port.name(), n.get("host").map(YamlNode::string).orElse(null));
    }

    private record PortRef(int number, String name) {}

    /** A port number, or the name of a port the container declares: (number, name or null). */
    private static PortRef port(YamlNode n, List<ContainerPort> ports) {
        YamlNode p = n.require("port");
        String raw = p.string();
        if (raw.matches("-?[0-9]+") && isInteger(p)) {
            int port = p.integer();
            if (port < 1 || port > 65535) throw p.error("Invalid value: " + port + ": must be between 1 and 65535, inclusive");
            return new PortRef(port, null);
        }
        if (raw.length() > 15 || !ManifestLoader.PORT_NAME.matcher(raw).matches() || raw.contains("--")
                || raw.chars().noneMatch(Character::isLetter)) {
            throw p.error("Invalid value: \"" + raw + "\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), "
                    + "at least one letter, at most 15 characters, and no '--'");
        }
        for (ContainerPort cp : ports) {
            if (raw.equals(cp.name())) return new PortRef(cp.containerPort(), raw);
        }
        throw p.error("Invalid value: \"" + raw + "\": the container declares no port named \"" + raw + "\""
                + (ports.stream().anyMatch(x -> x.name() != null)
                        ? " (its named ports: " + String.join(", ", ports.stream().map(ContainerPort::name).filter(x -> x != null).toList()) + ")"
                        : ""));
    }

    private static boolean isInteger(YamlNode p) {
        try {
            p.integer();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
