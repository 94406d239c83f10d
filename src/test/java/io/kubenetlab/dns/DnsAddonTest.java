package io.kubenetlab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.k8s.Container;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.Service;
import io.kubenetlab.k8s.ServicePortSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsAddonTest {

    private static final Path ZONE = Path.of("/var/lib/kubenetlab/labs/service-network/dns/zone.json");

    private static Deployment deployment(List<KubeObject> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    }

    private static Service service(List<KubeObject> objects) {
        return objects.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aKubeDnsDeploymentAndServiceInKubeSystem() {
        List<KubeObject> objects = DnsAddon.objects("10.3.240.10", ZONE, "cluster.local");

        assertThat(objects).extracting(KubeObject::kind).containsExactly("Deployment", "Service");
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.metadata().name()).isEqualTo("kube-dns");
            assertThat(o.metadata().namespace()).isEqualTo(DnsAddon.NAMESPACE).isEqualTo("kube-system");
            assertThat(o.metadata().labels()).containsEntry("k8s-app", "kube-dns");
        });
    }

    @Test
    void serviceSitsOnTheGivenAddressWithDnsPortsOverUdpAndTcp() {
        Service s = service(DnsAddon.objects("10.3.240.10", ZONE, "cluster.local"));

        assertThat(s.clusterIP()).isEqualTo("10.3.240.10");
        assertThat(s.type()).isEqualTo("ClusterIP");
        assertThat(s.selector()).isEqualTo(Map.of("k8s-app", "kube-dns"));
        assertThat(s.ports()).extracting(ServicePortSpec::name, ServicePortSpec::protocol, ServicePortSpec::port, ServicePortSpec::targetPortNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dns", "UDP", 53, 53), org.assertj.core.groups.Tuple.tuple("dns-tcp", "TCP", 53, 53));
    }

    @Test
    void deploymentRunsDnsServerOnThisJvmWithZoneDomainAndPort53() {
        Deployment d = deployment(DnsAddon.objects("10.3.240.10", ZONE, "cluster.local"));

        assertThat(d.replicas()).isEqualTo(1);
        assertThat(d.selector()).isEqualTo(Map.of("k8s-app", "kube-dns"));
        assertThat(d.templateMetadata().labels()).containsEntry("k8s-app", "kube-dns");
        Container c = d.template().containers().get(0);
        assertThat(d.template().containers()).hasSize(1);
        List<String> cmd = c.command();
        assertThat(cmd.get(0)).isEqualTo(ProcessHandle.current().info().command().orElse("/usr/bin/java"));
        assertThat(cmd).containsSubsequence("io.kubenetlab.dns.DnsServer", ZONE.toString(), "cluster.local", "53");
        assertThat(cmd.subList(cmd.size() - 4, cmd.size())).containsExactly("io.kubenetlab.dns.DnsServer", ZONE.toString(), "cluster.local", "53");
        assertThat(cmd.get(cmd.indexOf("-cp") + 1)).isEqualTo(DnsAddon.classpath());
        assertThat(c.ports()).extracting(ContainerPort::name, ContainerPort::containerPort, ContainerPort::protocol)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dns", 53, "UDP"), org.assertj.core.groups.Tuple.tuple("dns-tcp", 53, "TCP"));
    }

    @Test
    void zonePathWithYamlSpecialCharactersSurvivesQuoting() {
        Path odd = Path.of("/tmp/a dir/with \"quotes\"/back\\slash/#not-a-comment: yes/zone.json");

        Deployment d = deployment(DnsAddon.objects("10.3.240.10", odd, "cluster.local"));

        assertThat(d.template().containers().get(0).command()).contains(odd.toString());
    }

    @Test
    void otherDomainIsPassedThrough() {
        Deployment d = deployment(DnsAddon.objects("10.96.0.10", ZONE, "lab.internal"));

        assertThat(d.template().containers().get(0).command()).endsWith("lab.internal", "53");
    }

    @Test
    void classpathUnderTestsFindsTheDnsServerClass() {
        String cp = DnsAddon.classpath();

        assertThat(cp).isNotBlank();
        assertThat(cp.split(File.pathSeparator)).anySatisfy(entry -> {
            Path p = Path.of(entry);
            assertThat(p.toFile().isFile() || p.resolve("io/kubenetlab/dns/DnsServer.class").toFile().isFile()).isTrue();
        });
    }
}
