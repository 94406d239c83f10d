package io.kubenetlab.lab;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubenetlab.model.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * fabric8 clients of a lab's API, configured from its kubeconfig (server, CA, token), with fabric8's
 * JDK HTTP transport. Apart from {@link Lab} so the CLI never loads fabric8's classes.
 */
final class KubernetesClients {
    private KubernetesClients() {}

    static KubernetesClient fromKubeconfig(Path kubeconfig) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new LabException("cannot read the lab's kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
    }
}
