package io.kubenetlab.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One Jetty request seen as the JDK's {@link HttpExchange}, which the API's routes and the ui are
 * written against. Jetty's own bridge (jetty-http-spi) is not used: it registers itself as the JVM's
 * {@code HttpServer} provider, which would change {@code HttpServer.create} for every test suite that
 * has kubenetlab on its class path.
 */
final class JettyExchange extends HttpExchange {
    private final Request request;
    private final Response response;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private int code = -1;

    JettyExchange(Request request, Response response) {
        this.request = request;
        this.response = response;
        for (HttpField f : request.getHeaders()) requestHeaders.add(f.getName(), f.getValue()); // values as sent, not split at commas
        this.in = Content.Source.asInputStream(request);
        this.out = Content.Sink.asOutputStream(response);
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.getHttpURI().toURI();
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return null; // contexts are HttpLayer's prefixes; no route asks for one
    }

    /** The JDK's contract: a length above 0 is exact, 0 means chunked, -1 means no body. */
    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        code = rCode;
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            for (String v : e.getValue()) response.getHeaders().add(e.getKey(), v);
        }
        if (responseLength > 0) response.getHeaders().put("Content-Length", Long.toString(responseLength));
        else if (responseLength < 0) response.getHeaders().put("Content-Length", "0");
        response.setStatus(rCode);
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.getConnectionMetaData().getLocalSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) in = i;
        if (o != null) out = o;
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null; // bearer tokens are checked by the routes
    }
}
