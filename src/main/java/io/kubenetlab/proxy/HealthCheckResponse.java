package io.kubenetlab.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kube-proxy's answer on a health check node port (upstream pkg/proxy/healthcheck/service_health.go),
 * for any method and path: 200 when the node has local ready endpoints and the proxy is healthy, else
 * 503; the endpoint count as a load-balancing weight; the body upstream's dedented JSON, byte for byte.
 */
public record HealthCheckResponse(int status, Map<String, String> headers, String body) {
    public static HealthCheckResponse of(ServiceHealth s, boolean proxyHealthy) {
        int count = s.localEndpoints();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Load-Balancing-Endpoint-Weight", Integer.toString(count));
        String body = "{\n"
                + "\t\"service\": {\n"
                + "\t\t\"namespace\": " + goQuote(s.namespace()) + ",\n"
                + "\t\t\"name\": " + goQuote(s.name()) + "\n"
                + "\t},\n"
                + "\t\"localEndpoints\": " + count + ",\n"
                + "\t\"serviceProxyHealthy\": " + proxyHealthy + "\n"
                + "}";
        return new HealthCheckResponse(count != 0 && proxyHealthy ? 200 : 503, headers, body);
    }

    public String reason() {
        return status == 200 ? "OK" : "Service Unavailable";
    }

    /** Go's %q for the names Kubernetes allows (DNS labels): quotes, with backslash and quote escaped for safety. */
    static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
