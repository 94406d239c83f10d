package io.kubenetlab.api;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API's HTTP server: Jetty, HTTPS only, HTTP/1.1 (kubectl's streams upgrade HTTP/1.1 connections).
 * The API's routes keep their {@code com.sun.net.httpserver} form ({@link JettyExchange}); requests that
 * ask for an upgrade (exec, attach, port-forward) are offered to {@link #upgrades} first.
 */
final class HttpLayer implements AutoCloseable {
    /**
     * Long enough for the longest watch (kubectl's 30 minutes) and an idle interactive shell: streams
     * that wait send nothing for minutes, and the API server does not cut them either.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final Server server;
    /** Handlers by path prefix, as {@code HttpServer.createContext} had them: the longest prefix wins. */
    private final java.util.concurrent.ConcurrentSkipListMap<String, HttpHandler> routes = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final SslContextFactory.Server tls = new SslContextFactory.Server();
    private volatile Request.Handler upgrades;
    private ServerConnector first;

    HttpLayer(SSLContext context, HttpHandler api) {
        QueuedThreadPool threads = new QueuedThreadPool(2000, 4, 60_000);
        threads.setName("kubenetlab-api");
        threads.setDaemon(true);
        server = new Server(threads);
        tls.setSslContext(context);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Request.Handler u = upgrades;
                if (u != null && request.getHeaders().contains("Upgrade") && u.handle(request, response, callback)) return true;
                route(request, response, callback);
                return true;
            }
        });
        serve("/", api);
    }

    /** Starts serving (no listener yet: {@link #listen}); upgrade handlers that add beans come before. */
    void start() throws IOException {
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("cannot start the API's HTTP server: " + e.getMessage(), e);
        }
    }

    /** Handles the requests that ask for an upgrade it accepts (returns true for those), before the routes. */
    void upgrades(Request.Handler handler) {
        this.upgrades = handler;
    }

    Server server() {
        return server;
    }

    /**
     * Listens on {@code address}; with {@code inNamespace}, the socket is made by one of its threads, so
     * it belongs to the network namespace that thread joined (a socket keeps the namespace it was made in).
     */
    void listen(InetSocketAddress address, ExecutorService inNamespace) throws IOException {
        ServerSocketChannel channel;
        if (inNamespace == null) {
            channel = bind(address);
        } else {
            try {
                channel = inNamespace.submit(() -> bind(address)).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new IOException("cannot listen on " + address + ": " + e);
            }
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(httpConfiguration()));
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.open(channel);
        server.addConnector(connector);
        try {
            connector.start();
        } catch (Exception e) {
            channel.close();
            throw new IOException("cannot serve on " + address + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            if (first == null) first = connector;
        }
    }

    private static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.socket().setReuseAddress(true);
            channel.bind(address, 64);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration c = new HttpConfiguration();
        c.setSendServerVersion(false);
        // The routes read the raw path and answer what Go's server would (a %2F in a name is a 404 there,
        // not Jetty's 400 for an ambiguous separator).
        c.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        // The certificate names 127.0.0.1 and the kubernetes Service's names; a client's SNI is not checked
        // against them (the JDK server did not either; client certificates are not used).
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        secure.setSniHostCheck(false);
        c.addCustomizer(secure);
        return c;
    }

    int port() {
        return first.getLocalPort();
    }

    /** Serves {@code handler} under {@code path}, as {@code HttpServer.createContext} did. */
    void serve(String path, HttpHandler handler) {
        routes.put(path, handler);
    }

    private void route(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        HttpHandler handler = null;
        for (var e : routes.descendingMap().entrySet()) {
            if (path != null && path.startsWith(e.getKey())) {
                handler = e.getValue();
                break;
            }
        }
        try {
            JettyExchange exchange = new JettyExchange(request, response);
            if (handler == null) exchange.sendResponseHeaders(404, -1);
            else handler.handle(exchange);
            exchange.close(); // the handler's close, if it made one, is a no-op
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing to do about it
        }
    }
}
