package io.kubenetlab.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.manifest.ManifestLoader;
import io.kubenetlab.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Fuzzing the two loaders of user files: valid lab files and manifests mutated at random (keys deleted, values
 * of the wrong type, random strings, deep nesting, huge numbers, bytes flipped) may load or be refused with a
 * {@link ConfigException}, never anything else (no NullPointerException, ClassCastException, stack overflow...).
 */
class LoaderFuzzTest {
    static final Path DIR;
    static {
        try {
            DIR = Files.createTempDirectory("kubenetlab-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String LAB = """
            name: fuzz
            runtime: netns
            cni: routed
            proxyMode: iptables
            nodeNetwork: {cidr: 10.100.0.0/24, gateway: 10.100.0.1}
            clusterCIDR: 10.0.0.0/16
            podCIDRSize: 24
            serviceCIDR: 10.3.240.0/20
            nodePortRange: 30000-32767
            bridge: cbr0
            networks:
              - {name: outside, cidr: 192.0.2.0/24, gateway: 192.0.2.1}
            nodes:
              - {name: node1, address: 10.100.0.2, podCIDR: 10.0.1.0/24}
              - {name: node2, address: 10.100.0.3}
            hosts:
              - {name: client, network: outside, address: 192.0.2.10, command: [sleep, "600"], ports: [80]}
            manifests: [m.yaml]
            """;

    static final String MANIFESTS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {app: web}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: c
                      image: alpine
                      command: [sleep, "600"]
                      ports: [{containerPort: 8080, name: http, protocol: TCP}]
                      env: [{name: A, value: b}]
                      readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              type: NodePort
              selector: {app: web}
              externalTrafficPolicy: Local
              ports: [{name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, annotations: {a: b}}
            spec:
              restartPolicy: Never
              containers: [{name: c, image: alpine, command: [sh, -c, "echo hi"]}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: ext-1, labels: {kubernetes.io/service-name: ext}}
            addressType: IPv4
            endpoints: [{addresses: [192.0.2.10], conditions: {ready: true}}]
            ports: [{name: http, port: 80, protocol: TCP}]
            """;

    static final Object[] ODD_VALUES = {null, "", "x", "../../etc", "\u0000\u00ff\ud7ff", -1, 0, 65536, Long.MAX_VALUE,
            new java.math.BigInteger("99999999999999999999999999"), 1.5e300, true, List.of(), Map.of(), List.of(List.of(1)),
            Map.of("k", Map.of("k", "v")), "10.0.0.0/33", "999.1.1.1", "a".repeat(300)};

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 150)
    void aMutatedLabFileLoadsOrIsAConfigException(@ForAll("seeds") long seed) throws IOException {
        Files.writeString(DIR.resolve("m.yaml"), MANIFESTS);
        Path f = DIR.resolve("lab.yaml");
        write(f, mutate(LAB, new Random(seed)));
        onlyConfigException(() -> TopologyLoader.load(f));
    }

    @Property(tries = 150)
    void mutatedManifestsLoadOrAreAConfigException(@ForAll("seeds") long seed) throws IOException {
        Path f = DIR.resolve("m-" + Long.toHexString(seed) + ".yaml");
        write(f, mutate(MANIFESTS, new Random(seed)));
        onlyConfigException(() -> ManifestLoader.load(List.of(f)));
        Files.deleteIfExists(f);
    }

    @Property(tries = 100)
    void randomTextIsAConfigExceptionOrLoads(@ForAll("text") String text) throws IOException {
        Path f = DIR.resolve("random.yaml");
        Files.writeString(f, text);
        onlyConfigException(() -> ManifestLoader.load(List.of(f)));
        onlyConfigException(() -> TopologyLoader.load(f));
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> yamlish = Arbitraries.strings().withChars("{}[]:-,&*!|>'\"#%@`? \n\tabc019.").ofMaxLength(200);
        return Arbitraries.oneOf(yamlish, Arbitraries.strings().ofMaxLength(200));
    }

    static void write(Path f, Object mutated) throws IOException {
        if (mutated instanceof byte[] b) Files.write(f, b);
        else Files.writeString(f, (String) mutated);
    }

    /**
     * One to three mutations of the documents: a key deleted, a value replaced by an odd one (wrong type, huge,
     * traversing, empty), a value nested deep, or — on the text — bytes flipped or a line cut.
     */
    static Object mutate(String yaml, Random r) {
        if (r.nextInt(5) == 0) {
            byte[] b = yaml.getBytes(StandardCharsets.UTF_8);
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            return b;
        }
        Yaml y = new Yaml();
        List<Object> docs = new ArrayList<>();
        for (Object d : y.loadAll(yaml)) docs.add(d);
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            Object doc = docs.get(r.nextInt(docs.size()));
            List<Object[]> slots = new ArrayList<>();
            collect(doc, slots);
            if (slots.isEmpty()) continue;
            Object[] slot = slots.get(r.nextInt(slots.size()));
            @SuppressWarnings("unchecked")
            Map<String, Object> parent = slot[0] instanceof Map<?, ?> ? (Map<String, Object>) slot[0] : null;
            switch (r.nextInt(4)) {
                case 0 -> {
                    if (parent != null) parent.remove(slot[1]);
                    else set(slot, ODD_VALUES[r.nextInt(ODD_VALUES.length)]);
                }
                case 1, 2 -> set(slot, ODD_VALUES[r.nextInt(ODD_VALUES.length)]);
                default -> {
                    Object deep = slot[2];
                    for (int k = 0, depth = 1 + r.nextInt(60); k < depth; k++) deep = r.nextBoolean() ? java.util.Collections.singletonList(deep) : java.util.Collections.singletonMap("k", deep); // deep may be null (a YAML null)
                    set(slot, deep);
                }
            }
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String out = new Yaml(o).dumpAll(docs.iterator());
        if (r.nextInt(6) == 0) {
            List<String> lines = new ArrayList<>(out.lines().toList());
            lines.remove(r.nextInt(lines.size()));
            out = String.join("\n", lines) + "\n";
        }
        return out;
    }

    /** Every [parent, key or index, value] of the tree, to pick one to mutate. */
    @SuppressWarnings("unchecked")
    static void collect(Object node, List<Object[]> out) {
        if (node instanceof Map<?, ?> m) {
            for (var e : new ArrayList<>(((Map<String, Object>) m).entrySet())) {
                out.add(new Object[] {m, e.getKey(), e.getValue()});
                collect(e.getValue(), out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(new Object[] {l, i, l.get(i)});
                collect(l.get(i), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void set(Object[] slot, Object value) {
        if (slot[0] instanceof Map<?, ?> m) ((Map<String, Object>) m).put((String) slot[1], mutable(value));
        else ((List<Object>) slot[0]).set((Integer) slot[1], mutable(value));
    }

    /** A copy a later mutation may change (the odd values are immutable constants). */
    static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), mutable(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(mutable(x)));
            return out;
        }
        return v;
    }

    static void onlyConfigException(Runnable load) {
        try {
            load.run();
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @AfterContainer
    static void removeFiles() throws IOException {
        try (var s = Files.walk(DIR)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
