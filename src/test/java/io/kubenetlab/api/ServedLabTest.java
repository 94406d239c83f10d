package io.kubenetlab.api;

import io.kubenetlab.client.ControllerFiles;
import io.kubenetlab.client.TlsIdentity;
import io.kubenetlab.controller.Controller;
import io.kubenetlab.lab.FakeLab;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the API against a fake article lab (no root): each test gets the lab, its controller and
 * API server running in this JVM, the token, and an HTTP client that trusts the server.
 */
abstract class ServedLabTest {
    @TempDir
    Path stateRoot;
    FakeLab lab;
    Controller controller;
    ApiServer server;
    String token;
    TlsIdentity tls;
    HttpClient http;

    /** The fake lab's name. */
    abstract String labName();

    /** Changes the lab's state before its controller starts; nothing unless overridden. */
    void beforeController(FakeLab lab) {}

    @BeforeEach
    void serve() throws Exception {
        lab = FakeLab.article(stateRoot, labName());
        beforeController(lab);
        controller = new Controller(lab.engine);
        ControllerFiles files = new ControllerFiles(lab.store, labName());
        tls = files.tls();
        token = files.token();
        server = new ApiServer(controller, token, 0, tls.serverContext());
        http = HttpClient.newBuilder().sslContext(tls.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void close() {
        if (server != null) server.close();
        if (controller != null) controller.close();
    }
}
