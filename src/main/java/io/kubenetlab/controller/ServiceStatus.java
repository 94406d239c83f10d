package io.kubenetlab.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.api.ApiException;
import io.kubenetlab.api.Resources;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Service's status as written through {@code services/status}: checked and defaulted as the API
 * server does (upstream's ValidateLoadBalancerStatus, ipMode defaulted to VIP when an ip is set).
 * {@code vips} are the ingress IPs kube-proxy captures: those with an ip and ipMode VIP.
 */
record ServiceStatus(ObjectNode status, List<Ipv4> vips) {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    static ServiceStatus parse(String name, JsonNode given) {
        ObjectNode status = given instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        known(status, "status", Set.of("loadBalancer", "conditions"));
        ObjectNode lb = status.get("loadBalancer") instanceof ObjectNode l ? l : status.putObject("loadBalancer");
        known(lb, "status.loadBalancer", Set.of("ingress"));
        List<Ipv4> vips = new ArrayList<>();
        JsonNode ingress = lb.path("ingress");
        for (int i = 0; i < ingress.size(); i++) {
            if (!(ingress.get(i) instanceof ObjectNode in)) throw invalid(name, "status.loadBalancer.ingress[" + i + "]", "Invalid value: must be an object");
            String at = "status.loadBalancer.ingress[" + i + "]";
            known(in, at, Set.of("ip", "hostname", "ipMode", "ports"));
            String ip = in.path("ip").asText("");
            String mode = in.hasNonNull("ipMode") ? in.get("ipMode").asText() : null;
            if (!ip.isEmpty()) {
                Ipv4 parsed;
                try {
                    parsed = Ipv4.parse(ip);
                } catch (IllegalArgumentException e) {
                    throw invalid(name, at + ".ip", "Invalid value: \"" + ip + "\": must be a valid IP address");
                }
                if (mode == null) in.put("ipMode", mode = "VIP"); // the API server's default
                if (!mode.equals("VIP") && !mode.equals("Proxy")) {
                    throw invalid(name, at + ".ipMode", "Unsupported value: \"" + mode + "\": supported values: \"Proxy\", \"VIP\"");
                }
                if (mode.equals("VIP")) vips.add(parsed);
            } else if (mode != null) {
                throw invalid(name, at + ".ipMode", "Forbidden: may not be specified when `ip` is not set");
            }
            String host = in.path("hostname").asText("");
            if (!host.isEmpty() && (host.length() > 253 || !DNS_SUBDOMAIN.matcher(host).matches())) {
                throw invalid(name, at + ".hostname", "Invalid value: \"" + host + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
            }
            if (!host.isEmpty() && host.matches("[0-9.]+")) {
                throw invalid(name, at + ".hostname", "Invalid value: \"" + host + "\": must be a DNS name, not an IP address");
            }
        }
        return new ServiceStatus(status, List.copyOf(vips));
    }

    /** Unknown fields are a strict-decoding 400, as the API server's. */
    private static void known(ObjectNode o, String at, Set<String> fields) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw ApiException.badRequest("Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \""
                        + at + "." + f + "\"");
            }
        }
    }

    private static ApiException invalid(String name, String field, String detail) {
        return ApiException.invalid(Resources.SERVICES, name, field, detail);
    }
}
