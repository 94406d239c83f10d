package io.kubenetlab.api;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.client.TlsIdentity;
import io.kubenetlab.controller.Controller;
import io.kubenetlab.lab.FakeLab;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A fake article lab (no root) with its controller and API server running in this JVM, and an HTTP client that trusts it. */
final class ServedLab implements AutoCloseable {
    final FakeLab lab;
    final Controller controller;
    final ApiServer server;
    final String token;
    final TlsIdentity tls;
    final HttpClient http;

    private ServedLab(FakeLab lab, Controller controller, ApiServer server, String token, TlsIdentity tls) {
        this.lab = lab;
        this.controller = controller;
        this.server = server;
        this.token = token;
        this.tls = tls;
        this.http = HttpClient.newBuilder().sslContext(tls.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Serves lab {@code name} under {@code root}; {@code beforeController} may change its state first. */
    static ServedLab start(Path root, String name, Consumer<FakeLab> beforeController) throws Exception {
        FakeLab lab = FakeLab.article(root, name);
        beforeController.accept(lab);
        Controller controller = new Controller(lab.engine);
        ControllerFiles files = new ControllerFiles(lab.store, name);
        TlsIdentity tls = files.tls();
        String token = files.token();
        return new ServedLab(lab, controller, new ApiServer(controller, token, 0, tls.serverContext()), token, tls);
    }

    @Override
    public void close() {
        server.close();
        controller.close();
    }
}
