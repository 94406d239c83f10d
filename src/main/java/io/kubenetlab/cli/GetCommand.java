package io.kubenetlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenetlab.client.ApiClient;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.output.JsonPathTemplate;
import io.kubenetlab.output.Printer;
import io.kubenetlab.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl get} against the lab's API: tables as the server prints them, or the objects themselves. */
@Command(name = "get", description = "List objects like kubectl get, from the lab's API (-o wide|yaml|json|name|jsonpath=...).")
final class GetCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "pods (po), services (svc), endpoints (ep), endpointslices, deployments (deploy), nodes (no), namespaces (ns), events (ev)")
    String resource;

    @Parameters(index = "1..*", paramLabel = "NAME", description = "Only these objects.")
    List<String> names = new ArrayList<>();

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, e.g. app=service_test_pod")
    String selector;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json, name or jsonpath=TEMPLATE")
    String output;

    @Mixin
    NamespaceOption namespaceOption;

    @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces.")
    boolean allNamespaces;

    @Override
    public Integer call() {
        ResourceType t = Kinds.resolve(resource);
        if (output != null && !output.equals("wide") && !output.equals("yaml") && !output.equals("json") && !output.equals("name")
                && !output.startsWith("jsonpath=")) {
            throw new IllegalArgumentException("unable to match a printer suitable for the output format \"" + output
                    + "\", allowed formats are: json, jsonpath, name, wide, yaml");
        }
        ApiClient api = labOption.api();
        String ns = allNamespaces ? null : namespaceOption.namespace;
        String query = selector == null ? "" : "?labelSelector=" + Kinds.enc(selector);
        if (output == null || output.equals("wide")) {
            List<JsonNode> tables = new ArrayList<>();
            if (names.isEmpty()) tables.add(api.table(Kinds.collection(t, ns) + query));
            else for (String n : names) tables.add(api.table(Kinds.object(t, namespaceOption.namespace, n)));
            printTable(t, tables, output != null);
            return 0;
        }
        List<JsonNode> items = new ArrayList<>();
        if (names.isEmpty()) api.get(Kinds.collection(t, ns) + query).path("items").forEach(items::add);
        else for (String n : names) items.add(api.get(Kinds.object(t, namespaceOption.namespace, n)));
        if (output.equals("name")) {
            for (JsonNode i : items) System.out.println(Kinds.display(t) + "/" + i.path("metadata").path("name").asText());
            return 0;
        }
        List<Map<String, Object>> maps = new ArrayList<>();
        for (JsonNode i : items) maps.add(JSON.convertValue(i, Map.class));
        // A single named object prints as itself, a listing as kubectl's List.
        Map<String, Object> map = names.size() == 1 ? maps.get(0) : io.kubenetlab.output.KubeView.list(maps);
        if (output.equals("yaml")) System.out.print(Printer.yaml(map));
        else if (output.equals("json")) System.out.print(Printer.json(map));
        else System.out.print(JsonPathTemplate.render(output.substring("jsonpath=".length()), map));
        return 0;
    }

    /** Prints server-side tables as kubectl does: wide shows priority-1 columns, -A adds NAMESPACE. */
    private void printTable(ResourceType t, List<JsonNode> tables, boolean wide) {
        List<Integer> shown = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        if (allNamespaces && t.namespaced()) headers.add("NAMESPACE");
        JsonNode defs = tables.get(0).path("columnDefinitions");
        for (int i = 0; i < defs.size(); i++) {
            if (wide || defs.get(i).path("priority").asInt() == 0) {
                shown.add(i);
                headers.add(defs.get(i).path("name").asText().toUpperCase());
            }
        }
        Table table = new Table(headers);
        for (JsonNode tab : tables) {
            for (JsonNode row : tab.path("rows")) {
                List<String> cells = new ArrayList<>();
                if (allNamespaces && t.namespaced()) cells.add(row.path("object").path("metadata").path("namespace").asText());
                for (int i : shown) cells.add(row.path("cells").get(i).asText());
                table.row(cells);
            }
        }
        if (table.isEmpty()) {
            System.err.println("No resources found" + (t.namespaced() ? " in " + (allNamespaces ? "any" : namespaceOption.namespace) + " namespace" : "") + ".");
        } else {
            System.out.print(table.render());
        }
    }
}
