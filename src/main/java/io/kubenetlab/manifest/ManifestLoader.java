package io.kubenetlab.manifest;

import io.kubenetlab.k8s.LifecycleHandler;
import io.kubenetlab.k8s.Probe;
import io.kubenetlab.k8s.PodSpec;
import io.kubenetlab.k8s.PodManifest;
import io.kubenetlab.k8s.ObjectMeta;
import io.kubenetlab.k8s.KubeObject;
import io.kubenetlab.k8s.EnvVar;
import io.kubenetlab.k8s.Deployment;
import io.kubenetlab.k8s.ContainerPort;
import io.kubenetlab.k8s.Container;
import io.kubenetlab.config.ConfigException;
import io.kubenetlab.config.YamlNode;
import io.kubenetlab.model.Defaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads standard multi-document Kubernetes manifests into our objects, validating the way the API
 * server would (field names, DNS names, ports) so a typo is an error, never a silent no-op.
 */
public final class ManifestLoader {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    /** The name part of a label key (a qualified name); the optional prefix before '/' is a DNS subdomain. */
    static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    static final String SUPPORTED = "Pod, Deployment, Service, Endpoints, EndpointSlice";
    static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    /** Kinds that exist in Kubernetes but that this version does not run yet. */
    static final Set<String> KNOWN_UNSUPPORTED = Set.of("ReplicaSet",
            "StatefulSet", "DaemonSet", "Job", "CronJob", "ConfigMap", "Secret", "Namespace", "Ingress");
    /** Container fields that only matter to a real image runtime; accepted and ignored, as documented. */
    static final Set<String> IGNORED_CONTAINER_FIELDS = Set.of("imagePullPolicy", "resources",
            "terminationMessagePath", "terminationMessagePolicy");

    private ManifestLoader() {}

    /** An object and the document it came from, as JSON: what the API serves back. */
    public record Parsed(KubeObject object, com.fasterxml.jackson.databind.JsonNode json) {}

    /** All objects of all files, in order; names must be unique per kind and namespace. */
    public static List<KubeObject> load(List<Path> files) {
        return loadParsed(files).stream().map(Parsed::object).toList();
    }

    public static List<Parsed> loadParsed(List<Path> files) {
        List<Parsed> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path f : files) {
            for (YamlNode doc : YamlNode.loadAll(f)) {
                KubeObject o = parse(doc);
                String key = o.kind() + " " + o.metadata().key();
                String prev = seen.putIfAbsent(key, o.source());
                if (prev != null) {
                    throw new ConfigException(doc.file(), doc.line(), "metadata.name",
                            "duplicate " + o.kind() + " \"" + o.metadata().name() + "\" in namespace \""
                                    + o.metadata().namespace() + "\" (first defined at " + prev + ")");
                }
                out.add(new Parsed(o, doc.toJson()));
            }
        }
        return out;
    }

    public static KubeObject parse(YamlNode doc) {
        if (!doc.isMapping()) throw doc.error("a manifest document must be a mapping with apiVersion and kind");
        String kind = doc.require("kind").string();
        String apiVersion = doc.require("apiVersion").string();
        String source = doc.file() + ":" + doc.line();
        switch (kind) {
            case "Pod" -> {
                expectApi(doc, apiVersion, "v1");
                doc.checkFields("apiVersion", "kind", "metadata", "spec");
                return new PodManifest(meta(doc.require("metadata")), podSpec(doc.require("spec"), false), source);
            }
            case "Service" -> {
                expectApi(doc, apiVersion, "v1");
                doc.checkFields("apiVersion", "kind", "metadata", "spec", "status");
                return ServiceParser.parse(meta(doc.require("metadata")), doc.require("spec"), doc.get("status").orElse(null), source);
            }
            case "Endpoints" -> {
                expectApi(doc, apiVersion, "v1");
                doc.checkFields("apiVersion", "kind", "metadata", "subsets");
                return ServiceParser.endpoints(meta(doc.require("metadata")), doc.get("subsets").orElse(null), source);
            }
            case "EndpointSlice" -> {
                expectApi(doc, apiVersion, "discovery.k8s.io/v1");
                doc.checkFields("apiVersion", "kind", "metadata", "addressType", "endpoints", "ports");
                return EndpointSliceParser.parse(doc, source);
            }
            case "Deployment" -> {
                expectApi(doc, apiVersion, "apps/v1");
                doc.checkFields("apiVersion", "kind", "metadata", "spec");
                return deployment(doc, source);
            }
            default -> {
                if (KNOWN_UNSUPPORTED.contains(kind)) {
                    throw doc.require("kind").error("kind " + kind + " is not supported by this version of kubenetlab "
                            + "(supported: " + SUPPORTED + ")");
                }
                throw doc.require("kind").error("unknown kind \"" + kind + "\" (supported: " + SUPPORTED + ")");
            }
        }
    }

    private static void expectApi(YamlNode doc, String got, String want) {
        if (!got.equals(want)) {
            throw doc.require("apiVersion").error("\"" + got + "\" does not serve kind " + doc.require("kind").string()
                    + " (use " + want + ")");
        }
    }

    private static Deployment deployment(YamlNode doc, String source) {
        ObjectMeta meta = meta(doc.require("metadata"));
        YamlNode spec = doc.require("spec").checkFields("replicas", "selector", "template", "strategy",
                "revisionHistoryLimit", "progressDeadlineSeconds", "minReadySeconds");
        int replicas = spec.get("replicas").map(YamlNode::integer).orElse(1);
        if (replicas < 0) throw spec.require("replicas").error("must be greater than or equal to 0");
        YamlNode selNode = spec.require("selector").checkFields("matchLabels", "matchExpressions");
        if (selNode.get("matchExpressions").isPresent()) {
            throw selNode.require("matchExpressions").error("matchExpressions is not supported yet; use matchLabels");
        }
        Map<String, String> selector = labels(selNode.require("matchLabels"));
        if (selector.isEmpty()) throw selNode.require("matchLabels").error("must not be empty");
        YamlNode template = spec.require("template").checkFields("metadata", "spec");
        YamlNode tmeta = template.require("metadata").checkFields("labels", "annotations", "name", "creationTimestamp");
        Map<String, String> tlabels = tmeta.get("labels").map(ManifestLoader::labels).orElse(Map.of());
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(tlabels.get(e.getKey()))) {
                throw template.require("metadata").error("`selector` does not match template `labels` ("
                        + e.getKey() + "=" + e.getValue() + " is missing)");
            }
        }
        Map<String, String> tann = tmeta.get("annotations").map(YamlNode::stringMap).orElse(Map.of());
        PodSpec podSpec = podSpec(template.require("spec"), true);
        ObjectMeta templateMeta = new ObjectMeta("", meta.namespace(), tlabels, tann);
        return new Deployment(meta, replicas, selector, templateMeta, podSpec, source);
    }

    public static ObjectMeta meta(YamlNode m) {
        m.checkFields("name", "namespace", "labels", "annotations");
        YamlNode nameNode = m.require("name");
        String name = nameNode.string();
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw nameNode.error("\"" + name + "\" is not a valid name: a lowercase RFC 1123 subdomain must consist of "
                    + "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
        YamlNode nsNode = m.get("namespace").orElse(null);
        String ns = nsNode == null ? Defaults.NAMESPACE : nsNode.string();
        if (ns.length() > 63 || !DNS_LABEL.matcher(ns).matches()) throw nsNode.error("\"" + ns + "\" is not a valid namespace name");
        Map<String, String> labels = m.get("labels").map(ManifestLoader::labels).orElse(Map.of());
        Map<String, String> ann = m.get("annotations").map(YamlNode::stringMap).orElse(Map.of());
        return new ObjectMeta(name, ns, labels, ann);
    }

    static Map<String, String> labels(YamlNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
            String k = e.getKey();
            String[] parts = k.split("/", -1);
            String keyName = parts[parts.length - 1];
            boolean prefixOk = parts.length == 1
                    || (parts.length == 2 && parts[0].length() <= 253 && DNS_SUBDOMAIN.matcher(parts[0]).matches());
            if (!prefixOk || keyName.length() > 63 || !LABEL_NAME.matcher(keyName).matches()) {
                throw e.getValue().error("\"" + k + "\" is not a valid label key: an optional DNS subdomain prefix and '/', "
                        + "then at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character");
            }
            String v = e.getValue().string();
            if (v.length() > 63 || !LABEL_VALUE.matcher(v).matches()) {
                throw e.getValue().error("\"" + v + "\" is not a valid label value");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    static PodSpec podSpec(YamlNode spec, boolean inTemplate) {
        spec.checkFields("containers", "restartPolicy", "nodeName", "terminationGracePeriodSeconds", "dnsPolicy");
        String restart = spec.optString("restartPolicy", "Always");
        if (!RESTART_POLICIES.contains(restart)) {
            throw spec.require("restartPolicy").error("Unsupported value: \"" + restart + "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
        }
        if (inTemplate && !restart.equals("Always")) {
            throw spec.require("restartPolicy").error("Unsupported value: \"" + restart + "\": supported values: \"Always\" (a Deployment's pods always restart)");
        }
        String nodeName = spec.get("nodeName").map(YamlNode::string).orElse(null);
        YamlNode list = spec.require("containers");
        List<Container> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        for (YamlNode c : list.items()) {
            Container container = container(c);
            if (!names.add(container.name())) throw c.require("name").error("Duplicate value: \"" + container.name() + "\"");
            for (ContainerPort p : container.ports()) {
                if (!portKeys.add(p.containerPort() + "/" + p.protocol())) {
                    throw c.require("ports").error("Duplicate value: " + p.containerPort() + "/" + p.protocol());
                }
            }
            containers.add(container);
        }
        if (containers.isEmpty()) throw list.error("Required value: a pod needs at least one container");
        long grace = PodSpec.DEFAULT_TERMINATION_GRACE_SECONDS;
        YamlNode g = spec.get("terminationGracePeriodSeconds").orElse(null);
        if (g != null) {
            grace = g.integer();
            // Upstream's pod strategy turns a negative grace period into 1 second instead of refusing it.
            if (grace < 0) grace = 1;
        }
        return new PodSpec(containers, restart, nodeName, grace);
    }

    static Container container(YamlNode c) {
        Set<String> allowed = new HashSet<>(Set.of("name", "image", "command", "args", "env", "ports",
                "readinessProbe", "livenessProbe", "startupProbe", "lifecycle"));
        allowed.addAll(IGNORED_CONTAINER_FIELDS);
        c.checkFields(allowed);
        YamlNode nameNode = c.require("name");
        String name = nameNode.string();
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            throw nameNode.error("\"" + name + "\" is not a valid container name (RFC 1123 label)");
        }
        String image = c.require("image").string();
        List<String> command = c.get("command").map(YamlNode::strings).orElse(List.of());
        List<String> args = c.get("args").map(YamlNode::strings).orElse(List.of());
        List<EnvVar> env = new ArrayList<>();
        for (YamlNode e : c.get("env").map(YamlNode::items).orElse(List.of())) {
            e.checkFields("name", "value");
            String n = e.require("name").string();
            if (!ENV_NAME.matcher(n).matches()) throw e.require("name").error("\"" + n + "\" is not a valid environment variable name");
            env.add(new EnvVar(n, e.optString("value", "")));
        }
        List<ContainerPort> ports = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        for (YamlNode p : c.get("ports").map(YamlNode::items).orElse(List.of())) {
            p.checkFields("name", "containerPort", "protocol", "hostPort", "hostIP");
            if (p.get("hostPort").isPresent()) throw p.require("hostPort").error("hostPort is not supported");
            int port = p.require("containerPort").integer();
            if (port < 1 || port > 65535) throw p.require("containerPort").error("must be between 1 and 65535, inclusive");
            String proto = p.optString("protocol", "TCP");
            if (!PROTOCOLS.contains(proto)) throw p.require("protocol").error("Unsupported value: \"" + proto + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
            String pname = p.get("name").map(YamlNode::string).orElse(null);
            if (pname != null) {
                if (pname.length() > 15 || !PORT_NAME.matcher(pname).matches() || pname.contains("--")
                        || pname.chars().noneMatch(Character::isLetter)) {
                    throw p.require("name").error("\"" + pname + "\" is not a valid port name (IANA_SVC_NAME: at most 15 "
                            + "characters, lower-case letters, digits and '-', at least one letter, no '--')");
                }
                if (!portNames.add(pname)) throw p.require("name").error("Duplicate value: \"" + pname + "\"");
            }
            ports.add(new ContainerPort(pname, port, proto));
        }
        Probe[] probes = new Probe[3];
        String[] kinds = {"readinessProbe", "livenessProbe", "startupProbe"};
        for (int i = 0; i < kinds.length; i++) {
            String kind = kinds[i];
            probes[i] = c.get(kind).map(n -> ProbeParser.parse(n, kind, ports)).orElse(null);
        }
        LifecycleHandler preStop = null;
        YamlNode lifecycle = c.get("lifecycle").orElse(null);
        if (lifecycle != null) {
            lifecycle.checkFields("preStop", "postStart", "stopSignal");
            if (lifecycle.get("postStart").isPresent()) {
                throw lifecycle.require("postStart").error("postStart hooks are not supported by kubenetlab (preStop is)");
            }
            if (lifecycle.get("stopSignal").isPresent()) {
                throw lifecycle.require("stopSignal").error("stopSignal is not supported by kubenetlab (containers get SIGTERM)");
            }
            preStop = lifecycle.get("preStop").map(n -> ProbeParser.lifecycleHandler(n, ports)).orElse(null);
        }
        return new Container(name, image, command, args, env, ports, probes[0], probes[1], probes[2], preStop);
    }
}
