package io.kubenetlab.k8s;

import io.kubenetlab.net.Ipv4;
import java.util.List;

/** A v1 Endpoints object written by hand, for a Service without a selector (the article's database). */
public record EndpointsManifest(ObjectMeta metadata, List<Subset> subsets, String source) implements KubeObject {
    public record Address(Ipv4 ip, String nodeName) {}

    public record Port(String name, int port, String protocol) {}

    public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {}

    @Override
    public String kind() {
        return "Endpoints";
    }
}
