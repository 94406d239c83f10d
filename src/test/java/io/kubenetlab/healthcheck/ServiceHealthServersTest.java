package io.kubenetlab.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.proxy.HealthCheckResponse;
import io.kubenetlab.proxy.ServiceHealth;
import org.junit.jupiter.api.Test;

/** The bytes a health check node port sends, as Go's net/http spells them (no namespace needed). */
class ServiceHealthServersTest {
    @Test
    void rendersAnHttpResponseWithUpstreamsHeadersAndBody() {
        HealthCheckResponse r = HealthCheckResponse.of(new ServiceHealth("default", "web-local", 31000, 1), true);
        String text = ServiceHealthServers.render(r, false);
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
                + "X-Load-Balancing-Endpoint-Weight: 1\r\nDate: ");
        assertThat(text).matches("(?s).*\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n.*");
        assertThat(text).contains("\r\nContent-Length: " + r.body().length() + "\r\nConnection: close\r\n\r\n").endsWith(r.body());
        String head = ServiceHealthServers.render(HealthCheckResponse.of(new ServiceHealth("default", "web-local", 31000, 0), true), true);
        assertThat(head).startsWith("HTTP/1.1 503 Service Unavailable\r\n").endsWith("\r\n\r\n");
    }
}
