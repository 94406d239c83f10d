package io.kubenetlab.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubenetlab.graph.DotWriter;
import io.kubenetlab.graph.GraphBuilder;
import io.kubenetlab.graph.GraphInputs;
import io.kubenetlab.graph.GraphJson;
import io.kubenetlab.graph.LabGraph;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The lab's drawing as it is now, redrawn when the API's resourceVersion moves (every change the API's
 * watch reports: a scale, a pod dying, an endpoint turning ready), and a long-poll that answers as soon
 * as the drawing differs from the one a page holds.
 */
public final class LiveGraph {
    /** One drawing: {@code version} names it (a hash of its Graphviz text), {@code svg} without the XML prologue. */
    public record View(String version, String svg, ObjectNode graph) {}

    private static final long CHECK_MILLIS = 100;

    private final Supplier<GraphInputs> inputs;
    private final LongSupplier resourceVersion;
    private final Function<String, String> svgOfDot;
    private long builtAt = Long.MIN_VALUE;
    private String dot;
    private View view;

    public LiveGraph(Supplier<GraphInputs> inputs, LongSupplier resourceVersion, Function<String, String> svgOfDot) {
        this.inputs = inputs;
        this.resourceVersion = resourceVersion;
        this.svgOfDot = svgOfDot;
    }

    /** The drawing now; drawn again only when the resourceVersion moved and the picture changed. */
    public synchronized View current() {
        long rv = resourceVersion.getAsLong();
        if (view == null || rv != builtAt) {
            LabGraph g = GraphBuilder.build(inputs.get());
            String d = DotWriter.dot(g);
            if (!d.equals(dot)) {
                view = new View(hash(d), withoutPrologue(svgOfDot.apply(d)), GraphJson.tree(g));
                dot = d;
            }
            builtAt = rv;
        }
        return view;
    }

    /** The drawing once it differs from {@code since} (a version a page holds), or after {@code max} the same one. */
    public View await(String since, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            View v = current();
            if (!v.version().equals(since) || System.nanoTime() >= deadline) return v;
            Thread.sleep(CHECK_MILLIS);
        }
    }

    /** Graphviz's SVG from its {@code <svg} on: the XML declaration and DOCTYPE do not belong inside an HTML page. */
    public static String withoutPrologue(String svg) {
        int i = svg.indexOf("<svg");
        return i < 0 ? svg : svg.substring(i);
    }

    private static String hash(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
