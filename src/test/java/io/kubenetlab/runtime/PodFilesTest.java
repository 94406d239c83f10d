package io.kubenetlab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.PodRecord;
import io.kubenetlab.net.Cidr;
import io.kubenetlab.net.Ipv4;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFilesTest {

    private static PodRecord pod(String name, String namespace, String ip) {
        return new PodRecord(name, namespace, "uid", Map.of(), null, null, "node1", Ipv4.parse(ip), "knl-lab-" + name,
                "veth01234567", "Always", List.of(), "2024-01-01T00:00:00Z", null);
    }

    @Test
    void hostsFileLikeKubelet() {
        assertThat(PodFiles.hosts(pod("service-test-client1", "default", "10.0.1.3"))).isEqualTo("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                10.0.1.3\tservice-test-client1
                """);
    }

    @Test
    void hostsFileUsesTheTruncatedHostname() {
        String name = "a".repeat(62) + "-bcd";
        String hosts = PodFiles.hosts(pod(name, "default", "10.0.2.2"));
        assertThat(hosts).endsWith("\n10.0.2.2\t" + "a".repeat(62) + "\n");
    }

    @Test
    void resolvConfForTheArticleServiceCidr() {
        assertThat(PodFiles.resolvConf(pod("p", "default", "10.0.1.2"), Cidr.parse("10.3.240.0/20"))).isEqualTo("""
                search default.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.3.240.10
                options ndots:5
                """);
    }

    @Test
    void resolvConfSearchesThePodsNamespace() {
        assertThat(PodFiles.resolvConf(pod("p", "team-a", "10.0.1.2"), Cidr.parse("10.96.0.0/12")))
                .startsWith("search team-a.svc.cluster.local svc.cluster.local cluster.local\n")
                .contains("\nnameserver 10.96.0.10\n");
    }

    @Test
    void dnsAddressIsTheTenthOfTheServiceCidr() {
        assertThat(PodFiles.dnsAddress(Cidr.parse("10.3.240.0/20"))).isEqualTo("10.3.240.10");
        assertThat(PodFiles.dnsAddress(Cidr.parse("10.96.0.0/12"))).isEqualTo("10.96.0.10");
        assertThat(PodFiles.dnsAddress(Cidr.parse("192.168.5.0/24"))).isEqualTo("192.168.5.10");
    }

    @Test
    void machineHosts() {
        assertThat(PodFiles.machineHosts("node1", "10.100.0.2"))
                .isEqualTo("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.100.0.2\tnode1\n");
    }
}
