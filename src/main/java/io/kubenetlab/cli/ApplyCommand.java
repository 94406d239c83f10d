package io.kubenetlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.client.ApiClient;
import io.kubenetlab.api.ResourceType;
import io.kubenetlab.api.Resources;
import io.kubenetlab.config.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kubectl apply -f} for our CLI: creates each object, or replaces the part its author owns
 * (spec, labels, annotations) when it exists. The server validates exactly as for the lab file.
 */
@Command(name = "apply", description = {"Create or update objects from manifests through the lab's API, like kubectl apply -f FILE.",
        "An existing object's spec, labels and annotations are replaced by the file's."})
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    LabOption labOption;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "A YAML manifest (several documents allowed).")
    List<Path> files = new ArrayList<>();

    @Mixin
    NamespaceOption namespaceOption;

    @Override
    public Integer call() {
        List<JsonNode> docs = new ArrayList<>();
        for (Path f : files) for (YamlNode doc : YamlNode.loadAll(f)) docs.add(doc.toJson());
        ApiClient api = labOption.api();
        for (JsonNode doc : docs) {
            if (!(doc instanceof ObjectNode o)) throw new IllegalArgumentException("a manifest document must be a mapping with apiVersion and kind");
            ResourceType t = Resources.byKind(o.path("apiVersion").asText(), o.path("kind").asText()).orElseThrow(() -> new IllegalArgumentException(
                    "no matches for kind \"" + o.path("kind").asText() + "\" in version \"" + o.path("apiVersion").asText() + "\""));
            String ns = o.path("metadata").path("namespace").asText(namespaceOption.namespace);
            String name = o.path("metadata").path("name").asText();
            ObjectNode live = null;
            try {
                live = (ObjectNode) api.get(Kinds.object(t, ns, name));
            } catch (ApiClient.Error e) {
                if (e.code() != 404) throw e;
            }
            String shown = Kinds.display(t) + "/" + name;
            if (live == null) {
                api.post(Kinds.collection(t, ns), o);
                System.out.println(shown + " created");
                continue;
            }
            JsonNode after = api.put(Kinds.object(t, ns, name), o);
            boolean same = after.path("metadata").path("resourceVersion").equals(live.path("metadata").path("resourceVersion"));
            System.out.println(shown + (same ? " unchanged" : " configured"));
        }
        return 0;
    }
}
