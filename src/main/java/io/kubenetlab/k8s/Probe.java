package io.kubenetlab.k8s;

import java.util.List;

/**
 * A container probe as Kubernetes defines it: exactly one handler (exec, httpGet or tcpSocket) and
 * its timing, with kubelet's defaults already applied. A named port is resolved to its number when
 * the manifest is read ({@code portName} keeps the name for display). Plain data, saved as JSON.
 */
public record Probe(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, int initialDelaySeconds,
                    int periodSeconds, int timeoutSeconds, int successThreshold, int failureThreshold,
                    Integer terminationGracePeriodSeconds) {
    public static final int DEFAULT_PERIOD = 10;
    public static final int DEFAULT_TIMEOUT = 1;
    public static final int DEFAULT_SUCCESS = 1;
    public static final int DEFAULT_FAILURE = 3;

    public record ExecAction(List<String> command) {
        public ExecAction {
            command = List.copyOf(command);
        }
    }

    /** {@code host} null means the pod's IP, as in Kubernetes. */
    public record HttpGetAction(String path, int port, String portName, String host, List<HttpHeader> httpHeaders) {
        public HttpGetAction {
            httpHeaders = httpHeaders == null ? List.of() : List.copyOf(httpHeaders);
        }
    }

    public record HttpHeader(String name, String value) {}

    public record TcpSocketAction(int port, String portName, String host) {}

    /** The handler's name as the manifest spells it. */
    public String handlerType() {
        return exec != null ? "exec" : httpGet != null ? "httpGet" : "tcpSocket";
    }

    /** kubectl describe's one-line form, e.g. {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
    public String describe() {
        String h;
        if (exec != null) h = "exec " + exec.command();
        else if (httpGet != null) h = "http-get http://" + (httpGet.host() == null ? "" : httpGet.host()) + ":"
                + (httpGet.portName() != null ? httpGet.portName() : httpGet.port()) + httpGet.path();
        else h = "tcp-socket " + (tcpSocket.host() == null ? "" : tcpSocket.host()) + ":"
                + (tcpSocket.portName() != null ? tcpSocket.portName() : tcpSocket.port());
        return h + " delay=" + initialDelaySeconds + "s timeout=" + timeoutSeconds + "s period=" + periodSeconds
                + "s #success=" + successThreshold + " #failure=" + failureThreshold;
    }
}
