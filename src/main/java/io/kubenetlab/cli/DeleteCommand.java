package io.kubenetlab.cli;

import io.kubenetlab.client.ApiClient;
import io.kubenetlab.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kubectl delete} through the lab's API; a Deployment replaces its deleted pods. */
@Command(name = "delete", description = {"Delete objects, like kubectl delete pod NAME... (also svc, deploy, ep, ns).",
        "A Deployment replaces its deleted pods; the Services' endpoints and every node's rules follow."})
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "pod (po), service (svc), deployment (deploy), endpoints (ep), endpointslice, namespace (ns)")
    String resource;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Mixin
    NamespaceOption namespaceOption;

    @Override
    public Integer call() {
        ResourceType t = Kinds.resolve(resource);
        ApiClient api = labOption.api();
        for (String n : names) {
            api.delete(Kinds.object(t, namespaceOption.namespace, n));
            System.out.println(Kinds.display(t) + " \"" + n + "\" deleted");
            // As kubectl delete: a pod terminates first (its grace period); wait until it is gone.
            if (t.resource().equals("pods")) api.awaitGone(Kinds.object(t, namespaceOption.namespace, n), java.time.Duration.ofSeconds(120));
        }
        return 0;
    }
}
