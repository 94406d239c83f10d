package io.kubenetlab.manifest;

import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.EndpointSliceManifest;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.net.Ipv4;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A discovery.k8s.io/v1 EndpointSlice, validated as the API server's
 * pkg/apis/discovery/validation/validation.go does, in its words. A slice without the
 * {@code kubernetes.io/service-name} label, or of address type IPv6 or FQDN, is valid (the API server
 * takes it) but kube-proxy ignores it.
 */
final class EndpointSliceParser {
    static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final int MAX_ENDPOINTS = 1000;
    private static final int MAX_PORTS = 100;
    private static final int MAX_ADDRESSES = 100;
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private EndpointSliceParser() {}

    static EndpointSliceManifest parse(YamlNode doc, String source) {
        ObjectMeta meta = ManifestLoader.meta(doc.require("metadata"));
        YamlNode typeNode = doc.get("addressType").orElseThrow(() -> doc.errorAt("addressType", "Required value"));
        String addressType = typeNode.string();
        if (!ADDRESS_TYPES.contains(addressType)) throw typeNode.error(ServiceParser.unsupported(addressType, ADDRESS_TYPES));
        return new EndpointSliceManifest(meta, addressType, ports(doc.get("ports").orElse(null)),
                endpoints(doc.get("endpoints").orElse(null), addressType), source);
    }

    private static List<EndpointSliceManifest.Port> ports(YamlNode list) {
        List<EndpointSliceManifest.Port> out = new ArrayList<>();
        if (list == null) return out;
        List<YamlNode> items = list.items();
        if (items.size() > MAX_PORTS) throw list.error("Too many: " + items.size() + ": must have at most " + MAX_PORTS + " items");
        Set<String> names = new HashSet<>();
        for (YamlNode p : items) {
            p.checkFields("name", "port", "protocol", "appProtocol");
            // Defaulting (pkg/apis/discovery/v1/defaults.go): name "" and protocol TCP.
            String name = p.optString("name", "");
            if (!name.isEmpty() && (name.length() > 63 || !ManifestLoader.DNS_LABEL.matcher(name).matches())) {
                throw p.require("name").error("Invalid value: \"" + name + "\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character");
            }
            if (!names.add(name)) throw p.errorAt("name", "Duplicate value: \"" + name + "\"");
            String protocol = p.optString("protocol", "TCP");
            if (!ManifestLoader.PROTOCOLS.contains(protocol)) {
                throw p.require("protocol").error(ServiceParser.unsupported(protocol, List.of("SCTP", "TCP", "UDP")));
            }
            // Upstream's validation leaves the number alone (kube-proxy skips 0 and a missing one);
            // we also refuse numbers no socket can have, as the field's documentation requires 1-65535.
            int port = 0;
            if (p.get("port").isPresent()) {
                port = p.require("port").integer();
                if (port < 1 || port > 65535) throw p.require("port").error("Invalid value: " + port + ": must be between 1 and 65535, inclusive");
            }
            out.add(new EndpointSliceManifest.Port(name, port, protocol));
        }
        return out;
    }

    private static List<EndpointSliceManifest.Endpoint> endpoints(YamlNode list, String addressType) {
        List<EndpointSliceManifest.Endpoint> out = new ArrayList<>();
        if (list == null) return out;
        List<YamlNode> items = list.items();
        if (items.size() > MAX_ENDPOINTS) throw list.error("Too many: " + items.size() + ": must have at most " + MAX_ENDPOINTS + " items");
        for (YamlNode e : items) {
            e.checkFields("addresses", "conditions", "hostname", "targetRef", "nodeName", "zone", "hints", "deprecatedTopology");
            List<YamlNode> addrNodes = e.get("addresses").map(YamlNode::items).orElse(List.of());
            if (addrNodes.isEmpty()) throw e.errorAt("addresses", "Required value: must contain at least 1 address");
            if (addrNodes.size() > MAX_ADDRESSES) {
                throw e.require("addresses").error("Too many: " + addrNodes.size() + ": must have at most " + MAX_ADDRESSES + " items");
            }
            List<String> addresses = new ArrayList<>();
            for (YamlNode a : addrNodes) {
                String why = addressError(a.string(), addressType);
                if (why != null) throw a.error("Invalid value: \"" + a.string() + "\": " + why);
                addresses.add(a.string());
            }
            Boolean ready = null;
            Boolean serving = null;
            Boolean terminating = null;
            YamlNode c = e.get("conditions").orElse(null);
            if (c != null) {
                c.checkFields("ready", "serving", "terminating");
                ready = c.get("ready").map(YamlNode::bool).orElse(null);
                serving = c.get("serving").map(YamlNode::bool).orElse(null);
                terminating = c.get("terminating").map(YamlNode::bool).orElse(null);
            }
            String nodeName = e.get("nodeName").map(YamlNode::string).orElse(null);
            if (nodeName != null && (nodeName.length() > 253 || !ManifestLoader.DNS_SUBDOMAIN.matcher(nodeName).matches())) {
                throw e.require("nodeName").error("Invalid value: \"" + nodeName + "\": a lowercase RFC 1123 subdomain must consist of lower "
                        + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
            }
            String hostname = e.get("hostname").map(YamlNode::string).orElse(null);
            if (hostname != null && (hostname.length() > 63 || !ManifestLoader.DNS_LABEL.matcher(hostname).matches())) {
                throw e.require("hostname").error("Invalid value: \"" + hostname + "\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character");
            }
            e.get("targetRef").ifPresent(t -> t.checkFields("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"));
            e.get("hints").ifPresent(h -> h.checkFields("forZones", "forNodes"));
            String zone = e.get("zone").map(YamlNode::string).orElse(null);
            out.add(new EndpointSliceManifest.Endpoint(List.copyOf(addresses), ready, serving, terminating, nodeName, zone));
        }
        return out;
    }

    /** Why an address is not valid for the slice's type (null: it is), as IsValidIPv4Address and ValidateEndpointIP say. */
    static String addressError(String address, String addressType) {
        switch (addressType) {
            case "IPv4" -> {
                Ipv4 ip;
                try {
                    ip = Ipv4.parse(address);
                } catch (IllegalArgumentException e) {
                    return "must be a valid IPv4 address";
                }
                return specialIp(ip);
            }
            case "IPv6" -> {
                // Only literals reach InetAddress (no name lookups): a colon and hex digits.
                if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) return "must be a valid IPv6 address";
                try {
                    return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address ? null : "must be a valid IPv6 address";
                } catch (java.net.UnknownHostException e) {
                    return "must be a valid IPv6 address";
                }
            }
            default -> {
                boolean ok = address.length() <= 253 && ManifestLoader.DNS_SUBDOMAIN.matcher(address).matches() && address.contains(".");
                return ok ? null : "should be a domain with at least two segments separated by dots";
            }
        }
    }

    /** pkg/apis/core/validation's ValidateEndpointIP: addresses a Service can never forward to. */
    private static String specialIp(Ipv4 ip) {
        long v = ip.unsigned();
        if (v == 0) return "may not be unspecified (0.0.0.0)";
        if ((v >>> 24) == 127) return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
        if ((v >>> 16) == ((169L << 8) | 254)) return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
        if ((v >>> 8) == (224L << 16)) return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
        return null;
    }
}
