package io.kubenetlab.cli;

import io.kubenetlab.k8s.LabelSelector;
import io.kubenetlab.lab.DeploymentRecord;
import io.kubenetlab.lab.EndpointRecord;
import io.kubenetlab.lab.ServiceRecord;
import io.kubenetlab.output.ServiceView;
import io.kubenetlab.lab.Lab;
import io.kubenetlab.lab.LabException;
import io.kubenetlab.lab.PodRecord;
import io.kubenetlab.lab.PodStatus;
import io.kubenetlab.output.Age;
import io.kubenetlab.output.JsonPathTemplate;
import io.kubenetlab.output.KubeView;
import io.kubenetlab.output.Printer;
import io.kubenetlab.output.Table;
import io.kubenetlab.runtime.Procs;
import io.kubenetlab.topology.Topology.NodeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "List pods, nodes, deployments, services or endpoints like kubectl get (-o wide|yaml|json|name|jsonpath=...).")
final class GetCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "pods (po), nodes (no), deployments (deploy), services (svc) or endpoints (ep)")
    String resource;

    @Parameters(index = "1..*", paramLabel = "NAME", description = "Only these objects.")
    List<String> names = new ArrayList<>();

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, e.g. app=service_test_pod")
    String selector;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json, name or jsonpath=TEMPLATE")
    String output;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces.")
    boolean allNamespaces;

    @Override
    public Integer call() {
        Lab lab = labOption.open();
        LabelSelector sel = LabelSelector.parse(selector);
        String kind = switch (resource.toLowerCase()) {
            case "pods", "pod", "po" -> "pods";
            case "nodes", "node", "no" -> "nodes";
            case "deployments", "deployment", "deploy" -> "deployments";
            case "services", "service", "svc" -> "services";
            case "endpoints", "endpoint", "ep" -> "endpoints";
            case "endpointslices", "endpointslice", "endpointslices.discovery.k8s.io" -> "endpointslices";
            default -> throw new IllegalArgumentException("the server doesn't have a resource type \"" + resource
                    + "\" (kubenetlab knows pods, nodes, deployments, services, endpoints, endpointslices)");
        };
        List<Map<String, Object>> items = new ArrayList<>();
        Table table;
        boolean wide = "wide".equals(output);
        Instant now = Instant.now();
        switch (kind) {
            case "pods" -> {
                table = new Table(wide ? List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES")
                        : List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
                // kubectl lists by namespace, then name.
                List<PodRecord> sorted = new ArrayList<>(lab.pods());
                sorted.sort(java.util.Comparator.comparing(PodRecord::namespace).thenComparing(PodRecord::name));
                for (PodRecord p : sorted) {
                    if (!allNamespaces && !p.namespace().equals(namespace)) continue;
                    if (!sel.matches(p.labels()) || (!names.isEmpty() && !names.contains(p.name()))) continue;
                    PodStatus st = lab.status(p);
                    items.add(KubeView.pod(p, st, lab.topology()));
                    long ready = st.containers().stream().filter(PodStatus.ContainerStatus::ready).count();
                    List<String> row = new ArrayList<>(List.of(p.name(), ready + "/" + p.containers().size(), st.display(),
                            Integer.toString(st.restarts()), Age.human(Duration.between(Instant.parse(p.createdAt()), now))));
                    if (wide) row.addAll(List.of(p.ip().toString(), p.node(), "<none>", "<none>"));
                    table.row(row);
                }
            }
            case "nodes" -> {
                table = new Table(wide ? List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME")
                        : List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"));
                for (NodeSpec n : lab.topology().nodes()) {
                    if (!names.isEmpty() && !names.contains(n.name())) continue;
                    if (!sel.matches(Map.of("kubernetes.io/hostname", n.name(), "kubernetes.io/os", "linux"))) continue;
                    boolean ready = lab.state().machine(n.name()).map(m -> Procs.alive(m.sandbox())).orElse(false);
                    items.add(KubeView.node(n, lab.state().createdAt, ready));
                    List<String> row = new ArrayList<>(List.of(n.name(), ready ? "Ready" : "NotReady", "<none>",
                            Age.human(Duration.between(Instant.parse(lab.state().createdAt), now)), KubeView.VERSION));
                    if (wide) row.addAll(List.of(n.address().toString(), "<none>", "kubenetlab netns", System.getProperty("os.version"), "netns://kubenetlab"));
                    table.row(row);
                }
            }
            case "services" -> {
                table = new Table(wide ? List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR")
                        : List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"));
                for (ServiceRecord svc : lab.state().services) {
                    if (!allNamespaces && !svc.namespace().equals(namespace)) continue;
                    if (!sel.matches(svc.labels()) || (!names.isEmpty() && !names.contains(svc.name()))) continue;
                    items.add(ServiceView.service(svc));
                    List<String> row = new ArrayList<>(List.of(svc.name(), svc.type(), ServiceView.clusterIP(svc), ServiceView.externalIP(svc),
                            ServiceView.ports(svc), Age.human(Duration.between(Instant.parse(svc.createdAt()), now))));
                    if (wide) row.add(ServiceView.selector(svc.selector()));
                    table.row(row);
                }
            }
            case "endpoints" -> {
                table = new Table(List.of("NAME", "ENDPOINTS", "AGE"));
                for (ServiceRecord svc : lab.state().services) {
                    if (!allNamespaces && !svc.namespace().equals(namespace)) continue;
                    if (svc.type().equals("ExternalName")) continue;
                    if (!sel.matches(svc.labels()) || (!names.isEmpty() && !names.contains(svc.name()))) continue;
                    List<EndpointRecord> eps = lab.state().endpoints.getOrDefault(svc.key(), List.of());
                    items.add(ServiceView.endpointsObject(svc, eps));
                    table.row(List.of(svc.name(), ServiceView.endpoints(eps), Age.human(Duration.between(Instant.parse(svc.createdAt()), now))));
                }
            }
            case "endpointslices" -> {
                table = new Table(List.of("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"));
                for (ServiceRecord svc : lab.state().services) {
                    if (!allNamespaces && !svc.namespace().equals(namespace)) continue;
                    if (svc.type().equals("ExternalName")) continue;
                    String sliceName = ServiceView.sliceName(svc);
                    if (!sel.matches(Map.of("kubernetes.io/service-name", svc.name())) || (!names.isEmpty() && !names.contains(sliceName))) continue;
                    List<EndpointRecord> eps = lab.state().endpoints.getOrDefault(svc.key(), List.of());
                    items.add(ServiceView.endpointSlice(svc, eps));
                    table.row(List.of(sliceName, "IPv4", ServiceView.slicePorts(eps), ServiceView.sliceEndpoints(eps),
                            Age.human(Duration.between(Instant.parse(svc.createdAt()), now))));
                }
            }
            default -> {
                table = new Table(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
                for (DeploymentRecord d : lab.state().deployments) {
                    if (!allNamespaces && !d.namespace().equals(namespace)) continue;
                    if (!names.isEmpty() && !names.contains(d.name())) continue;
                    List<PodRecord> pods = lab.pods().stream().filter(p -> d.replicaSetName().equals(p.ownerName())).toList();
                    int ready = (int) pods.stream().filter(p -> lab.status(p).ready()).count();
                    items.add(KubeView.deployment(d, ready, pods.size()));
                    table.row(List.of(d.name(), ready + "/" + d.replicas(), Integer.toString(pods.size()), Integer.toString(ready),
                            Age.human(Duration.between(Instant.parse(d.createdAt()), now))));
                }
            }
        }
        for (String n : names) {
            boolean found = items.stream().anyMatch(i -> n.equals(((Map<?, ?>) i.get("metadata")).get("name")));
            if (!found) throw new LabException(kind + " \"" + n + "\" not found");
        }
        // A single named object prints as itself, a listing as a List: kubectl's shapes.
        Map<String, Object> doc = names.size() == 1 && items.size() == 1 ? items.get(0) : KubeView.list(items);
        if (output == null || wide) {
            if (table.isEmpty()) System.err.println("No resources found" + (kind.equals("nodes") ? "" : " in " + (allNamespaces ? "any" : namespace) + " namespace") + ".");
            else System.out.print(table.render());
        } else if (output.equals("yaml")) {
            System.out.print(Printer.yaml(doc));
        } else if (output.equals("json")) {
            System.out.print(Printer.json(doc));
        } else if (output.equals("name")) {
            String prefix = switch (kind) {
                case "deployments" -> "deployment.apps/";
                case "nodes" -> "node/";
                case "services" -> "service/";
                case "endpoints" -> "endpoints/";
                case "endpointslices" -> "endpointslice.discovery.k8s.io/";
                default -> "pod/";
            };
            for (Map<String, Object> i : items) System.out.println(prefix + ((Map<?, ?>) i.get("metadata")).get("name"));
        } else if (output.startsWith("jsonpath=")) {
            System.out.print(JsonPathTemplate.render(output.substring("jsonpath=".length()), doc));
        } else {
            throw new IllegalArgumentException("unable to match a printer suitable for the output format \"" + output
                    + "\", allowed formats are: json, jsonpath, name, wide, yaml");
        }
        return 0;
    }
}
