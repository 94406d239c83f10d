package io.kubenetlab.dns;

import io.kubenetlab.config.YamlNode;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.manifest.ManifestLoader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster DNS add-on every lab gets, as kubeadm installs CoreDNS: a {@code kube-dns} Deployment
 * and Service in {@code kube-system}, the Service on the address kubelet writes into every pod's
 * resolv.conf. The pod runs {@link DnsServer} with this JVM and these classes (no image needed).
 */
public final class DnsAddon {
    public static final String NAMESPACE = "kube-system";
    public static final String SOURCE = "<cluster DNS add-on>";

    private DnsAddon() {}

    public static List<KubeObject> objects(String clusterIP, Path zoneFile, String domain) {
        return objects(clusterIP, zoneFile, domain, classpath());
    }

    /** The add-on's objects, its JVM started with {@code classpath} (as the pod's sandbox sees it). */
    public static List<KubeObject> objects(String clusterIP, Path zoneFile, String domain, String classpath) {
        return parsed(clusterIP, zoneFile, domain, classpath).stream().map(ManifestLoader.Parsed::object).toList();
    }

    /** The add-on's objects with their manifests, which the API serves back (the Deployment's template: kubectl scale needs it). */
    public static List<ManifestLoader.Parsed> parsed(String clusterIP, Path zoneFile, String domain, String classpath) {
        String java = io.kubenetlab.kernel.SelfJar.java();
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: kube-dns
                  namespace: kube-system
                  labels: {k8s-app: kube-dns}
                spec:
                  replicas: 1
                  selector: {matchLabels: {k8s-app: kube-dns}}
                  template:
                    metadata: {labels: {k8s-app: kube-dns}}
                    spec:
                      containers:
                        - name: dns
                          image: kubenetlab/dns
                          command: [%s, "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",%s
                                    "-cp", %s, "io.kubenetlab.dns.DnsServer", %s, %s, "53"]
                          ports:
                            - {name: dns, containerPort: 53, protocol: UDP}
                            - {name: dns-tcp, containerPort: 53, protocol: TCP}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: kube-dns
                  namespace: kube-system
                  labels: {k8s-app: kube-dns}
                spec:
                  clusterIP: %s
                  selector: {k8s-app: kube-dns}
                  ports:
                    - {name: dns, port: 53, protocol: UDP, targetPort: 53}
                    - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
                """.formatted(quote(java), jvmOptions(classpath), quote(classpath), quote(zoneFile.toString()), quote(domain), clusterIP);
        List<ManifestLoader.Parsed> out = new ArrayList<>();
        for (YamlNode doc : YamlNode.loadAll(SOURCE, new StringReader(yaml))) out.add(new ManifestLoader.Parsed(ManifestLoader.parse(doc), doc.toJson()));
        return out;
    }

    /**
     * The class-data-sharing options (SelfJar's), as more items of the command's YAML list; none when the
     * pod sees the jar elsewhere (staged out of /tmp): an archive names its jar's path, and a JVM given a
     * mismatched one starts without any (not even the JDK's own).
     */
    private static String jvmOptions(String classpath) {
        StringBuilder out = new StringBuilder();
        if (!classpath.equals(io.kubenetlab.kernel.SelfJar.classpath())) return "";
        for (String o : io.kubenetlab.kernel.SelfJar.jvmOptions("dns")) out.append(' ').append(quote(o)).append(',');
        return out.toString();
    }

    /** YAML double-quoted string: paths may hold anything. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String classpath() {
        return io.kubenetlab.kernel.SelfJar.classpath();
    }
}
