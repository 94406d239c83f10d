package io.kubenetlab.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.output.Age;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side printing: a list of objects as a {@code meta.k8s.io/v1 Table}, the columns kubectl shows
 * for each kind (priority 1 columns only with {@code -o wide}). kubectl asks for tables and prints them
 * as they come, so these columns are what {@code kubectl get} shows; our own CLI prints them too.
 */
public final class Tables {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private record Column(String name, String type, String format, int priority) {}

    private Tables() {}

    public static ObjectNode table(String resource, List<ObjectNode> objects, long resourceVersion, Instant now) {
        ObjectNode table = F.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns(resource)) {
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.name()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : cells(resource, o, now)) {
                if (cell instanceof Integer i) cells.add(i);
                else cells.add(String.valueOf(cell));
            }
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.get("metadata").deepCopy());
        }
        return table;
    }

    private static List<Column> columns(String resource) {
        return switch (resource) {
            case "pods" -> List.of(name(), col("Ready"), col("Status"), new Column("Restarts", "string", "", 0), age(),
                    col("IP", 1), col("Node", 1), col("Nominated Node", 1), col("Readiness Gates", 1));
            case "services" -> List.of(name(), col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), age(), col("Selector", 1));
            case "endpoints" -> List.of(name(), col("Endpoints"), age());
            case "endpointslices" -> List.of(name(), col("AddressType"), col("Ports"), col("Endpoints"), age());
            case "nodes" -> List.of(name(), col("Status"), col("Roles"), age(), col("Version"), col("Internal-IP", 1), col("External-IP", 1),
                    col("OS-Image", 1), col("Kernel-Version", 1), col("Container-Runtime", 1));
            case "namespaces" -> List.of(name(), col("Status"), age());
            case "events" -> List.of(col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Message"));
            case "replicasets" -> List.of(name(), new Column("Desired", "integer", "", 0), new Column("Current", "integer", "", 0),
                    new Column("Ready", "integer", "", 0), age(), col("Containers", 1), col("Images", 1), col("Selector", 1));
            case "deployments" -> List.of(name(), col("Ready"), new Column("Up-to-date", "integer", "", 0), new Column("Available", "integer", "", 0),
                    age(), col("Containers", 1), col("Images", 1), col("Selector", 1));
            default -> List.of(name(), age());
        };
    }

    private static List<Object> cells(String resource, ObjectNode o, Instant now) {
        JsonNode meta = o.path("metadata");
        String age = age(meta.path("creationTimestamp").asText(null), now);
        String name = meta.path("name").asText();
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        return switch (resource) {
            case "pods" -> podCells(o, age, now);
            case "services" -> List.of(name, spec.path("type").asText("ClusterIP"), spec.path("clusterIP").asText("<none>"),
                    externalIP(o), servicePorts(spec), age, selector(spec.path("selector")));
            case "endpoints" -> List.of(name, endpoints(o), age);
            case "endpointslices" -> List.of(name, o.path("addressType").asText(), slicePorts(o), sliceEndpoints(o), age);
            case "nodes" -> List.of(name, condition(status, "Ready") ? "Ready" : "NotReady", "<none>", age,
                    status.path("nodeInfo").path("kubeletVersion").asText(), address(status, "InternalIP"), "<none>",
                    status.path("nodeInfo").path("osImage").asText(), status.path("nodeInfo").path("kernelVersion").asText(),
                    status.path("nodeInfo").path("containerRuntimeVersion").asText());
            case "namespaces" -> List.of(name, status.path("phase").asText("Active"), age);
            case "events" -> List.of(age(o.path("lastTimestamp").asText(null), now), o.path("type").asText(), o.path("reason").asText(),
                    o.path("involvedObject").path("kind").asText().toLowerCase() + "/" + o.path("involvedObject").path("name").asText(),
                    o.path("message").asText());
            case "replicasets", "deployments" -> {
                List<String> names = new ArrayList<>();
                List<String> images = new ArrayList<>();
                for (JsonNode c : spec.path("template").path("spec").path("containers")) {
                    names.add(c.path("name").asText());
                    images.add(c.path("image").asText());
                }
                if (resource.equals("replicasets")) {
                    yield List.of(name, spec.path("replicas").asInt(0), status.path("replicas").asInt(0), status.path("readyReplicas").asInt(0), age,
                            String.join(",", names), String.join(",", images), selector(spec.path("selector").path("matchLabels")));
                }
                yield List.of(name, status.path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(1),
                        status.path("updatedReplicas").asInt(0), status.path("availableReplicas").asInt(0), age,
                        String.join(",", names), String.join(",", images), selector(spec.path("selector").path("matchLabels")));
            }
            default -> List.of(name, age);
        };
    }

    /** kubectl's pod STATUS: the phase, or what a container waits for or died of; Terminating when deleted. */
    public static String podStatus(JsonNode pod) {
        JsonNode status = pod.path("status");
        String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
        boolean running = false;
        for (JsonNode c : status.path("containerStatuses")) {
            JsonNode st = c.path("state");
            if (st.has("waiting") && st.path("waiting").hasNonNull("reason") && !st.path("waiting").path("reason").asText().isEmpty()) {
                reason = st.path("waiting").path("reason").asText();
            } else if (st.has("terminated")) {
                JsonNode term = st.path("terminated");
                reason = term.hasNonNull("reason") && !term.path("reason").asText().isEmpty() ? term.path("reason").asText()
                        : "ExitCode:" + term.path("exitCode").asInt();
            } else if (st.has("running") && c.path("ready").asBoolean()) {
                running = true;
            }
        }
        if (reason.equals("Completed") && running) reason = "Running";
        // kubectl's printPod: Terminating once deleted, unless the pod already ended (its phase is terminal).
        String phase = status.path("phase").asText("");
        if (pod.path("metadata").has("deletionTimestamp") && !phase.equals("Succeeded") && !phase.equals("Failed")) reason = "Terminating";
        return reason;
    }

    private static List<Object> podCells(ObjectNode pod, String age, Instant now) {
        JsonNode status = pod.path("status");
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        int restarts = 0;
        long lastRestart = 0;
        for (JsonNode c : status.path("containerStatuses")) {
            if (c.path("ready").asBoolean()) ready++;
            restarts += c.path("restartCount").asInt();
            String finished = c.path("lastState").path("terminated").path("finishedAt").asText(null);
            if (finished != null) lastRestart = Math.max(lastRestart, Instant.parse(finished).getEpochSecond());
        }
        String restartCell = Integer.toString(restarts);
        if (restarts > 0 && lastRestart > 0) restartCell += " (" + Age.human(Duration.between(Instant.ofEpochSecond(lastRestart), now)) + " ago)";
        return List.of(pod.path("metadata").path("name").asText(), ready + "/" + total, podStatus(pod), restartCell, age,
                status.path("podIP").asText("<none>"), pod.path("spec").path("nodeName").asText("<none>"), "<none>", "<none>");
    }

    /** EXTERNAL-IP: the load balancer's ingress (or pending), externalIPs, or the external name. */
    public static String externalIP(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        if (type.equals("ExternalName")) return spec.path("externalName").asText();
        List<String> ips = new ArrayList<>();
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) ips.add(i.path("ip").asText());
        for (JsonNode i : spec.path("externalIPs")) ips.add(i.asText());
        if (ips.isEmpty()) return type.equals("LoadBalancer") ? "<pending>" : "<none>";
        return String.join(",", ips);
    }

    /** PORT(S): 80/TCP, or 80:30080/TCP with a nodePort. */
    public static String servicePorts(JsonNode spec) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
            out.add(p.path("port").asInt() + (p.path("nodePort").asInt(0) > 0 ? ":" + p.path("nodePort").asInt() : "") + "/" + p.path("protocol").asText("TCP"));
        }
        return out.isEmpty() ? "<none>" : String.join(",", out);
    }

    public static String selector(JsonNode labels) {
        return pairs(labels, ",");
    }

    /** A label map as kubectl prints one: k=v sorted by key, joined by {@code separator}; {@code <none>} when empty. */
    public static String pairs(JsonNode labels, String separator) {
        if (labels == null || !labels.isObject() || labels.isEmpty()) return "<none>";
        Map<String, String> sorted = new TreeMap<>();
        labels.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> out = new ArrayList<>();
        sorted.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(separator, out);
    }

    /** ENDPOINTS: ready ip:port pairs, at most three, then "+ N more...". */
    public static String endpoints(JsonNode ep) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode subset : ep.path("subsets")) {
            for (JsonNode port : subset.path("ports")) {
                for (JsonNode a : subset.path("addresses")) pairs.add(a.path("ip").asText() + ":" + port.path("port").asInt());
            }
        }
        return firstThree(pairs);
    }

    private static String slicePorts(JsonNode slice) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : slice.path("ports")) ports.add(Integer.toString(p.path("port").asInt()));
        return ports.isEmpty() ? "<unset>" : String.join(",", ports);
    }

    private static String sliceEndpoints(JsonNode slice) {
        List<String> ips = new ArrayList<>();
        for (JsonNode e : slice.path("endpoints")) for (JsonNode a : e.path("addresses")) ips.add(a.asText());
        return ips.isEmpty() ? "<unset>" : firstThree(ips);
    }

    public static String firstThree(List<String> items) {
        if (items.isEmpty()) return "<none>";
        if (items.size() <= 3) return String.join(",", items);
        return String.join(",", items.subList(0, 3)) + " + " + (items.size() - 3) + " more...";
    }

    private static boolean condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) if (c.path("type").asText().equals(type)) return c.path("status").asText().equals("True");
        return false;
    }

    private static String address(JsonNode status, String type) {
        for (JsonNode a : status.path("addresses")) if (a.path("type").asText().equals(type)) return a.path("address").asText();
        return "<none>";
    }

    public static String age(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) return "<unknown>";
        return Age.human(Duration.between(Instant.parse(timestamp), now));
    }

    private static Column name() {
        return new Column("Name", "string", "name", 0);
    }

    private static Column age() {
        return new Column("Age", "string", "", 0);
    }

    private static Column col(String n) {
        return new Column(n, "string", "", 0);
    }

    private static Column col(String n, int priority) {
        return new Column(n, "string", "", priority);
    }
}
