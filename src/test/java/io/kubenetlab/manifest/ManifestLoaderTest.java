package io.kubenetlab.manifest;

import io.kubenetlab.k8s.PodSpec;
import io.kubenetlab.k8s.PodManifest;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.EnvVar;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubenetlab.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestLoaderTest {

    @TempDir
    Path dir;

    private static final Path ARTICLE = Path.of("topologies/manifests");

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
                - name: c
                  image: alpine
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: c
                      image: alpine
            """;

    private Path write(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<KubeObject> load(String yaml) {
        return ManifestLoader.load(List.of(write("m.yaml", yaml)));
    }

    private ConfigException error(String yaml) {
        Path f = write("m.yaml", yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(f)));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo(f.toString());
        return e;
    }

    // ------------------------------------------------------------------ the article's manifests

    @Test
    void articleDeployment() {
        Path f = ARTICLE.resolve("service-test-deployment.yaml");
        List<KubeObject> objects = ManifestLoader.load(List.of(f));
        assertThat(objects).hasSize(1);
        Deployment d = (Deployment) objects.get(0);
        assertThat(d.kind()).isEqualTo("Deployment");
        assertThat(d.metadata().name()).isEqualTo("service-test");
        assertThat(d.metadata().namespace()).isEqualTo("default");
        assertThat(d.metadata().key()).isEqualTo("default/service-test");
        assertThat(d.replicas()).isEqualTo(2);
        assertThat(d.selector()).isEqualTo(Map.of("app", "service_test_pod"));
        assertThat(d.templateMetadata().labels()).isEqualTo(Map.of("app", "service_test_pod"));
        assertThat(d.source()).isEqualTo(f + ":1");
        PodSpec spec = d.template();
        assertThat(spec.restartPolicy()).isEqualTo("Always");
        assertThat(spec.nodeName()).isNull();
        assertThat(spec.containers()).hasSize(1);
        Container c = spec.containers().get(0);
        assertThat(c.name()).isEqualTo("simple-http");
        assertThat(c.image()).isEqualTo("python:2.7");
        assertThat(c.command()).containsExactly("/bin/bash");
        assertThat(c.args()).containsExactly("-c",
                "echo \"<p>Hello from $(hostname)</p>\" > index.html; python -m SimpleHTTPServer 8080");
        assertThat(c.ports()).containsExactly(new ContainerPort("http", 8080, "TCP"));
        assertThat(c.env()).isEmpty();
    }

    @Test
    void articleClientPod() {
        Path f = ARTICLE.resolve("service-test-client1.yaml");
        List<KubeObject> objects = ManifestLoader.load(List.of(f));
        assertThat(objects).hasSize(1);
        PodManifest p = (PodManifest) objects.get(0);
        assertThat(p.kind()).isEqualTo("Pod");
        assertThat(p.metadata().name()).isEqualTo("service-test-client1");
        assertThat(p.metadata().labels()).isEmpty();
        assertThat(p.spec().restartPolicy()).isEqualTo("Never");
        Container c = p.spec().containers().get(0);
        assertThat(c.name()).isEqualTo("test-client1");
        assertThat(c.image()).isEqualTo("alpine");
        assertThat(c.command()).containsExactly("/bin/sh");
        // YAML's "\\r\\n" is a backslash followed by r/n: the shell's echo turns it into CR LF
        assertThat(c.args()).containsExactly("-c", "echo 'GET / HTTP/1.1\\r\\n\\r\\n' | nc 10.0.2.2 8080");
        assertThat(c.ports()).isEmpty();
    }

    @Test
    void articleFilesTogetherKeepOrder() {
        List<KubeObject> objects = ManifestLoader.load(List.of(ARTICLE.resolve("service-test-deployment.yaml"),
                ARTICLE.resolve("service-test-client1.yaml")));
        assertThat(objects).extracting(o -> o.kind() + "/" + o.metadata().name())
                .containsExactly("Deployment/service-test", "Pod/service-test-client1");
    }

    // ------------------------------------------------------------------ valid variations

    @Test
    void multiDocumentFileWithEmptyDocuments() {
        List<KubeObject> objects = load("---\n---\n" + POD + "---\n# just a comment\n---\n" + DEPLOYMENT + "---\n");
        assertThat(objects).extracting(KubeObject::kind).containsExactly("Pod", "Deployment");
        assertThat(objects.get(0).source()).endsWith("m.yaml:3");
        assertThat(objects.get(1).source()).endsWith("m.yaml:14");
    }

    @Test
    void emptyFileHasNoObjects() {
        assertThat(load("")).isEmpty();
        assertThat(load("---\n# nothing\n")).isEmpty();
    }

    @Test
    void defaultsAndOptionalFields() {
        Deployment d = (Deployment) load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web.v1
                  namespace: team-a
                  labels: {tier: front}
                  annotations: {note: "hello world"}
                spec:
                  selector:
                    matchLabels: {app: web}
                  strategy: {type: RollingUpdate}
                  template:
                    metadata:
                      labels: {app: web, extra: "yes"}
                      annotations: {a: b}
                    spec:
                      terminationGracePeriodSeconds: 5
                      dnsPolicy: ClusterFirst
                      nodeName: node2
                      containers:
                        - name: c
                          image: alpine
                          imagePullPolicy: Always
                          resources: {limits: {cpu: 1}}
                          env:
                            - name: GREETING
                              value: hi
                            - name: EMPTY
                          ports:
                            - containerPort: 53
                              protocol: UDP
                            - containerPort: 53
                            - containerPort: 80
                              name: web-80
                """).get(0);
        assertThat(d.replicas()).isEqualTo(1);
        assertThat(d.metadata().name()).isEqualTo("web.v1");
        assertThat(d.metadata().namespace()).isEqualTo("team-a");
        assertThat(d.metadata().labels()).isEqualTo(Map.of("tier", "front"));
        assertThat(d.metadata().annotations()).isEqualTo(Map.of("note", "hello world"));
        assertThat(d.templateMetadata().labels()).isEqualTo(Map.of("app", "web", "extra", "yes"));
        assertThat(d.templateMetadata().annotations()).isEqualTo(Map.of("a", "b"));
        assertThat(d.templateMetadata().namespace()).isEqualTo("team-a");
        assertThat(d.template().nodeName()).isEqualTo("node2");
        Container c = d.template().containers().get(0);
        assertThat(c.command()).isEmpty();
        assertThat(c.args()).isEmpty();
        assertThat(c.env()).containsExactly(new EnvVar("GREETING", "hi"), new EnvVar("EMPTY", ""));
        assertThat(c.ports()).containsExactly(new ContainerPort(null, 53, "UDP"), new ContainerPort(null, 53, "TCP"),
                new ContainerPort("web-80", 80, "TCP"));
    }

    @Test
    void qualifiedLabelKeys() {
        PodManifest p = (PodManifest) load(POD.replace("  name: p\n",
                "  name: p\n  labels: {app.kubernetes.io/name: web, example.com/Tier_1: x, A.b-c_d: \"\"}\n")).get(0);
        assertThat(p.metadata().labels()).isEqualTo(Map.of("app.kubernetes.io/name", "web", "example.com/Tier_1", "x", "A.b-c_d", ""));
    }

    @Test
    void zeroReplicasIsAllowed() {
        Deployment d = (Deployment) load(DEPLOYMENT.replace("replicas: 3", "replicas: 0")).get(0);
        assertThat(d.replicas()).isZero();
    }

    @Test
    void sameNameDifferentKindOrNamespaceIsFine() {
        Path a = write("a.yaml", POD);
        Path b = write("b.yaml", DEPLOYMENT.replace("name: d", "name: p") + "---\n"
                + POD.replace("  name: p\n", "  name: p\n  namespace: other\n"));
        List<KubeObject> objects = ManifestLoader.load(List.of(a, b));
        assertThat(objects).extracting(o -> o.kind() + " " + o.metadata().key())
                .containsExactly("Pod default/p", "Deployment default/p", "Pod other/p");
    }

    @Test
    void multipleContainersWithDistinctNamesAndPorts() {
        PodManifest p = (PodManifest) load(POD + """
                    - name: sidecar
                      image: debian
                      command: [sleep, infinity]
                """).get(0);
        assertThat(p.spec().containers()).extracting(Container::name).containsExactly("c", "sidecar");
        assertThat(p.spec().containers().get(1).command()).containsExactly("sleep", "infinity");
    }

    // ------------------------------------------------------------------ duplicates across files

    @Test
    void duplicateObjectsAcrossFiles() {
        Path a = write("a.yaml", POD);
        Path b = write("b.yaml", "# the same pod again\n" + POD);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(a, b)));
        assertThat(e.file()).isEqualTo(b.toString());
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).isEqualTo("duplicate Pod \"p\" in namespace \"default\" (first defined at " + a + ":1)");
    }

    @Test
    void duplicateObjectsInOneFile() {
        ConfigException e = error(DEPLOYMENT + "---\n" + DEPLOYMENT);
        assertThat(e.field()).isEqualTo("metadata.name");
        assertThat(e.reason()).startsWith("duplicate Deployment \"d\" in namespace \"default\"");
    }

    @Test
    void explicitDefaultNamespaceIsTheSameObject() {
        ConfigException e = error(POD + "---\n" + POD.replace("  name: p\n", "  name: p\n  namespace: default\n"));
        assertThat(e.reason()).startsWith("duplicate Pod \"p\"");
    }

    // ------------------------------------------------------------------ bad input

    static Stream<Arguments> badManifests() {
        return Stream.of(
                Arguments.of("unknown kind", POD.replace("kind: Pod", "kind: Foo"), "kind", "unknown kind \"Foo\" (supported: Pod, Deployment, Service, Endpoints, EndpointSlice)"),
                Arguments.of("ReplicaSet is not supported", "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: s\n", "kind",
                        "kind ReplicaSet is not supported by this version of kubenetlab"),
                Arguments.of("StatefulSet is not supported", "apiVersion: apps/v1\nkind: StatefulSet\n", "kind", "kind StatefulSet is not supported"),
                Arguments.of("missing kind", POD.replace("kind: Pod\n", ""), "kind", "is required"),
                Arguments.of("missing apiVersion", POD.replace("apiVersion: v1\n", ""), "apiVersion", "is required"),
                Arguments.of("Deployment with v1", DEPLOYMENT.replace("apps/v1", "v1"), "apiVersion",
                        "\"v1\" does not serve kind Deployment (use apps/v1)"),
                Arguments.of("Deployment with extensions/v1beta1", DEPLOYMENT.replace("apps/v1", "extensions/v1beta1"), "apiVersion",
                        "(use apps/v1)"),
                Arguments.of("Pod with apps/v1", POD.replace("apiVersion: v1", "apiVersion: apps/v1"), "apiVersion",
                        "\"apps/v1\" does not serve kind Pod (use v1)"),
                Arguments.of("document is a list", "- a\n- b\n", "", "a manifest document must be a mapping"),
                Arguments.of("unknown top-level field", POD + "status: {}\n", "status", "unknown field \"status\""),
                Arguments.of("typo spec.replcas", DEPLOYMENT.replace("replicas: 3", "replcas: 3"), "spec.replcas", "unknown field \"replcas\""),
                Arguments.of("unknown metadata field", POD.replace("  name: p\n", "  name: p\n  lables: {a: b}\n"), "metadata.lables",
                        "unknown field \"lables\""),
                Arguments.of("unknown pod spec field", POD.replace("spec:\n", "spec:\n  hostNetwork: true\n"), "spec.hostNetwork",
                        "unknown field"),
                Arguments.of("unknown container field", DEPLOYMENT + "          imagePullPolicyy: Always\n",
                        "spec.template.spec.containers[0].imagePullPolicyy", "unknown field \"imagePullPolicyy\""),
                Arguments.of("unknown port field", POD + "      ports:\n        - port: 80\n", "spec.containers[0].ports[0].port", "unknown field"),
                Arguments.of("missing metadata", "apiVersion: v1\nkind: Pod\nspec: {}\n", "metadata", "is required"),
                Arguments.of("missing name", POD.replace("  name: p\n", "  labels: {a: b}\n"), "metadata.name", "is required"),
                Arguments.of("upper-case name", POD.replace("name: p", "name: Service-Test"), "metadata.name",
                        "\"Service-Test\" is not a valid name: a lowercase RFC 1123 subdomain"),
                Arguments.of("underscore name", DEPLOYMENT.replace("name: d", "name: service_test"), "metadata.name", "not a valid name"),
                Arguments.of("name ends with -", POD.replace("name: p", "name: p-"), "metadata.name", "not a valid name"),
                Arguments.of("name too long", POD.replace("name: p", "name: " + "a".repeat(254)), "metadata.name", "not a valid name"),
                Arguments.of("bad namespace", POD.replace("  name: p\n", "  name: p\n  namespace: Team.A\n"), "metadata.namespace",
                        "\"Team.A\" is not a valid namespace name"),
                Arguments.of("bad label value", POD.replace("  name: p\n", "  name: p\n  labels: {app: \"a b\"}\n"), "metadata.labels.app",
                        "\"a b\" is not a valid label value"),
                Arguments.of("label value too long", POD.replace("  name: p\n", "  name: p\n  labels: {app: " + "a".repeat(64) + "}\n"),
                        "metadata.labels.app", "is not a valid label value"),
                Arguments.of("label key with a space", POD.replace("  name: p\n", "  name: p\n  labels: {\"app name\": web}\n"),
                        "metadata.labels.app name", "\"app name\" is not a valid label key"),
                Arguments.of("label key starting with -", POD.replace("  name: p\n", "  name: p\n  labels: {-app: web}\n"),
                        "metadata.labels.-app", "is not a valid label key"),
                Arguments.of("label key with two slashes", POD.replace("  name: p\n", "  name: p\n  labels: {a/b/c: web}\n"),
                        "metadata.labels.a/b/c", "is not a valid label key"),
                Arguments.of("label key with an upper-case prefix", POD.replace("  name: p\n", "  name: p\n  labels: {Example.com/app: web}\n"),
                        "metadata.labels.Example.com/app", "is not a valid label key"),
                Arguments.of("label key with an empty name", POD.replace("  name: p\n", "  name: p\n  labels: {example.com/: web}\n"),
                        "metadata.labels.example.com/", "is not a valid label key"),
                Arguments.of("label key name too long", POD.replace("  name: p\n", "  name: p\n  labels: {" + "k".repeat(64) + ": web}\n"),
                        "metadata.labels." + "k".repeat(64), "is not a valid label key"),
                Arguments.of("bad selector key", DEPLOYMENT.replace("matchLabels:\n      app: web", "matchLabels:\n      \"a b\": web"),
                        "spec.selector.matchLabels.a b", "is not a valid label key"),
                Arguments.of("selector does not match template labels", DEPLOYMENT.replace("matchLabels:\n      app: web", "matchLabels:\n      app: api"),
                        "spec.template.metadata", "`selector` does not match template `labels` (app=api is missing)"),
                Arguments.of("selector key missing from template", DEPLOYMENT.replace("matchLabels:\n", "matchLabels:\n      tier: x\n"),
                        "spec.template.metadata", "tier=x is missing"),
                Arguments.of("empty matchLabels", DEPLOYMENT.replace("matchLabels:\n      app: web", "matchLabels: {}"),
                        "spec.selector.matchLabels", "must not be empty"),
                Arguments.of("missing selector", DEPLOYMENT.replace("  selector:\n    matchLabels:\n      app: web\n", ""), "spec.selector",
                        "is required"),
                Arguments.of("matchExpressions", DEPLOYMENT.replace("    matchLabels:", "    matchExpressions: [{key: app, operator: Exists}]\n    matchLabels:"),
                        "spec.selector.matchExpressions", "not supported yet"),
                Arguments.of("negative replicas", DEPLOYMENT.replace("replicas: 3", "replicas: -1"), "spec.replicas",
                        "must be greater than or equal to 0"),
                Arguments.of("replicas as a string", DEPLOYMENT.replace("replicas: 3", "replicas: \"3\""), "spec.replicas", "must be an integer"),
                Arguments.of("bad restartPolicy", POD.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n"), "spec.restartPolicy",
                        "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
                Arguments.of("restartPolicy wrong case", POD.replace("spec:\n", "spec:\n  restartPolicy: never\n"), "spec.restartPolicy",
                        "Unsupported value: \"never\""),
                Arguments.of("Deployment template restartPolicy Never", DEPLOYMENT.replace("    spec:\n      containers", "    spec:\n      restartPolicy: Never\n      containers"),
                        "spec.template.spec.restartPolicy", "Unsupported value: \"Never\": supported values: \"Always\""),
                Arguments.of("Deployment template restartPolicy OnFailure", DEPLOYMENT.replace("    spec:\n      containers", "    spec:\n      restartPolicy: OnFailure\n      containers"),
                        "spec.template.spec.restartPolicy", "a Deployment's pods always restart"),
                Arguments.of("no containers", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n", "spec.containers",
                        "Required value"),
                Arguments.of("missing containers", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n",
                        "spec.containers", "is required"),
                Arguments.of("duplicate container names", POD + "    - name: c\n      image: debian\n", "spec.containers[1].name",
                        "Duplicate value: \"c\""),
                Arguments.of("bad container name", POD.replace("- name: c", "- name: My_Container"), "spec.containers[0].name",
                        "\"My_Container\" is not a valid container name"),
                Arguments.of("missing image", POD.replace("      image: alpine\n", ""), "spec.containers[0].image", "is required"),
                Arguments.of("command not a list", POD + "      command: /bin/sh\n", "spec.containers[0].command", "must be a list"),
                Arguments.of("port 0", POD + "      ports:\n        - containerPort: 0\n", "spec.containers[0].ports[0].containerPort",
                        "must be between 1 and 65535, inclusive"),
                Arguments.of("port 65536", POD + "      ports:\n        - containerPort: 65536\n", "spec.containers[0].ports[0].containerPort",
                        "must be between 1 and 65535"),
                Arguments.of("port not a number", POD + "      ports:\n        - containerPort: http\n",
                        "spec.containers[0].ports[0].containerPort", "must be an integer"),
                Arguments.of("missing containerPort", POD + "      ports:\n        - name: http\n", "spec.containers[0].ports[0].containerPort",
                        "is required"),
                Arguments.of("hostPort", POD + "      ports:\n        - containerPort: 80\n          hostPort: 8080\n",
                        "spec.containers[0].ports[0].hostPort", "hostPort is not supported"),
                Arguments.of("bad protocol", POD + "      ports:\n        - containerPort: 80\n          protocol: HTTP\n",
                        "spec.containers[0].ports[0].protocol", "Unsupported value: \"HTTP\""),
                Arguments.of("upper-case port name", POD + "      ports:\n        - containerPort: 80\n          name: HTTP\n",
                        "spec.containers[0].ports[0].name", "\"HTTP\" is not a valid port name"),
                Arguments.of("port name too long", POD + "      ports:\n        - containerPort: 80\n          name: abcdefghijklmnop\n",
                        "spec.containers[0].ports[0].name", "not a valid port name"),
                Arguments.of("port name without a letter", POD + "      ports:\n        - containerPort: 80\n          name: \"8080\"\n",
                        "spec.containers[0].ports[0].name", "at least one letter"),
                Arguments.of("port name starting with -", POD + "      ports:\n        - containerPort: 80\n          name: -http\n",
                        "spec.containers[0].ports[0].name", "not a valid port name"),
                Arguments.of("port name with consecutive hyphens", POD + "      ports:\n        - containerPort: 80\n          name: my--port\n",
                        "spec.containers[0].ports[0].name", "not a valid port name"),
                Arguments.of("duplicate port names", POD + "      ports:\n        - containerPort: 80\n          name: http\n"
                                + "        - containerPort: 81\n          name: http\n",
                        "spec.containers[0].ports[1].name", "Duplicate value: \"http\""),
                Arguments.of("duplicate port and protocol across containers", POD + "      ports:\n        - containerPort: 80\n"
                                + "    - name: d\n      image: alpine\n      ports:\n        - containerPort: 80\n          protocol: TCP\n",
                        "spec.containers[1].ports", "Duplicate value: 80/TCP"),
                Arguments.of("bad env name", POD + "      env:\n        - name: 1ABC\n          value: x\n", "spec.containers[0].env[0].name",
                        "\"1ABC\" is not a valid environment variable name"),
                Arguments.of("env valueFrom", POD + "      env:\n        - name: A\n          valueFrom: {}\n",
                        "spec.containers[0].env[0].valueFrom", "unknown field"),
                Arguments.of("duplicate key", POD + "      image: debian\n", "spec.containers[0].image", "duplicate key \"image\""),
                // issue 16: wrong types, traversal in names, out-of-range numbers, nesting
                Arguments.of("name climbs out", POD.replace("name: p", "name: ../../etc"), "metadata.name", "not a valid name"),
                Arguments.of("name with a slash", POD.replace("name: p", "name: a/b"), "metadata.name", "not a valid name"),
                Arguments.of("namespace climbs out", POD.replace("  name: p\n", "  name: p\n  namespace: ../..\n"), "metadata.namespace",
                        "not a valid"),
                Arguments.of("name a number", POD.replace("name: p", "name: {x: 1}"), "metadata.name", "must be a string"),
                Arguments.of("kind a list", POD.replace("kind: Pod", "kind: [Pod]"), "kind", "must be a string"),
                Arguments.of("metadata a string", POD.replace("metadata:\n  name: p\n", "metadata: p\n"), "metadata", "must be a mapping"),
                Arguments.of("spec a list", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: [a]\n", "spec", "must be a mapping"),
                Arguments.of("containers nested lists", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: "
                        + "[".repeat(40) + "]".repeat(40) + "\n", "spec.containers[0]", "must be a mapping"),
                Arguments.of("labels a list", POD.replace("  name: p\n", "  name: p\n  labels: [a, b]\n"), "metadata.labels", "must be a mapping"),
                Arguments.of("replicas huge", DEPLOYMENT.replace("replicas: 3", "replicas: 99999999999999999999"), "spec.replicas", "must be an integer"),
                Arguments.of("replicas a float", DEPLOYMENT.replace("replicas: 3", "replicas: 2.5"), "spec.replicas", "must be an integer"),
                Arguments.of("port negative", POD + "      ports:\n        - containerPort: -80\n", "spec.containers[0].ports[0].containerPort",
                        "must be between 1 and 65535"),
                Arguments.of("port huge", POD + "      ports:\n        - containerPort: 4294967376\n", "spec.containers[0].ports[0].containerPort",
                        "must be an integer"),
                Arguments.of("targetPort huge (found by LoaderFuzzTest)", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
                        + "    - {port: 80, targetPort: \"9223372036854775807\"}\n", "spec.ports[0].targetPort", "must be between 1 and 65535"),
                Arguments.of("image a mapping", POD.replace("image: alpine", "image: {name: alpine}"), "spec.containers[0].image", "must be a string"));
    }

    /** Files that are no YAML text at all: bytes, sizes, tags. Each is a ConfigException naming the file. */
    static Stream<Arguments> badManifestFiles() {
        return Stream.of(
                Arguments.of("not UTF-8", (POD + "# caf\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not UTF-8"),
                Arguments.of("over 3 MiB", (POD + "# " + "x".repeat(3 * 1024 * 1024) + "\n").getBytes(), "too large"),
                Arguments.of("many documents of nothing but a scalar", "a\n---\nb\n".getBytes(), "a manifest document must be a mapping"),
                Arguments.of("a Java type tag", (POD.replace("name: p", "name: !!java.net.URL [\"http://x\"]")).getBytes(), ""),
                Arguments.of("an alias bomb", ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n").getBytes(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifestFiles")
    void rejectsBadManifestFile(String description, byte[] bytes, String reason) throws IOException {
        Path f = dir.resolve("m.yaml");
        Files.write(f, bytes);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(f)));
        assertThat(e).as(description).isNotNull();
        assertThat(e.file()).as(description).isEqualTo(f.toString());
        assertThat(e.reason()).as(description).contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifests")
    void rejectsBadManifest(String description, String yaml, String field, String reason) {
        ConfigException e = error(yaml);
        assertThat(e.field()).as(description).isEqualTo(field);
        assertThat(e.reason()).as(description).contains(reason);
        assertThat(e.line()).as(description).isPositive();
    }

    @Test
    void errorLinePointsAtTheBadValue() {
        ConfigException e = error(POD + "---\n" + DEPLOYMENT.replace("replicas: 3", "replcas: 3"));
        assertThat(e.field()).isEqualTo("spec.replcas");
        assertThat(e.line()).isEqualTo(15);
        assertThat(e.getMessage()).isEqualTo(dir.resolve("m.yaml") + ":15: spec.replcas: " + e.reason());
    }

    @Test
    void malformedYaml() {
        ConfigException e = error(POD + "  args: [\"unclosed\n");
        assertThat(e.field()).isNull();
        assertThat(e.reason()).startsWith("malformed YAML");
        assertThat(e.line()).isPositive();
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ManifestLoader.load(List.of(f)));
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.reason()).startsWith("cannot read file");
    }
}
