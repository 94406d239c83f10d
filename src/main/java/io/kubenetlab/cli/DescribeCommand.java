package io.kubenetlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenetlab.client.ApiClient;
import io.kubenetlab.api.Resources;
import io.kubenetlab.output.ServiceView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kubectl describe services}: the Service, its Endpoints and its events, from the lab's API. */
@Command(name = "describe", description = "Show a Service in detail, like kubectl describe services NAME.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "services (svc)")
    String resource;

    @Parameters(index = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Mixin
    NamespaceOption namespaceOption;

    @Override
    public Integer call() {
        if (Kinds.resolve(resource) != Resources.SERVICES) {
            throw new IllegalArgumentException("kubenetlab describe knows services (svc); for the rest use kubectl describe (export KUBECONFIG=$(kubenetlab kubeconfig))");
        }
        ApiClient api = labOption.api();
        List<JsonNode> services = new ArrayList<>();
        if (names.isEmpty()) api.get(Kinds.collection(Resources.SERVICES, namespaceOption.namespace)).path("items").forEach(services::add);
        else for (String n : names) services.add(api.get(Kinds.object(Resources.SERVICES, namespaceOption.namespace, n)));
        for (int i = 0; i < services.size(); i++) {
            if (i > 0) System.out.println();
            JsonNode svc = services.get(i);
            String name = svc.path("metadata").path("name").asText();
            JsonNode eps = null;
            try {
                eps = api.get(Kinds.object(Resources.ENDPOINTS, namespaceOption.namespace, name));
            } catch (ApiClient.Error e) {
                if (e.code() != 404) throw e;
            }
            List<JsonNode> events = new ArrayList<>();
            api.get(Kinds.collection(Resources.EVENTS, namespaceOption.namespace) + "?fieldSelector="
                    + Kinds.enc("involvedObject.kind=Service,involvedObject.name=" + name)).path("items").forEach(events::add);
            System.out.print(ServiceView.describe(svc, eps, events));
        }
        return 0;
    }
}
