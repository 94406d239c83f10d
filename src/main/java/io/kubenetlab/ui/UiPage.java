package io.kubenetlab.ui;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The ui's one page, made of the jar's resources (index.html with ui.css and ui.js put inline): live, it
 * long-polls {@code /ui/graph.json}; as a file ({@code graph -o html}) it carries one drawing in itself.
 */
public final class UiPage {
    private UiPage() {}

    /** The page the controller serves: it fetches the drawing and follows its changes. */
    public static String live() {
        return page("null");
    }

    /** A page holding one drawing, no server needed. */
    public static String snapshot(LiveGraph.View view) {
        return page(json(view).toString().replace("</", "<\\/")); // "</script>" inside a string must not end the script
    }

    /** What graph.json answers: the drawing's version, its SVG and its graph (for click details). */
    public static ObjectNode json(LiveGraph.View view) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("version", view.version());
        o.put("svg", view.svg());
        o.set("graph", view.graph());
        return o;
    }

    private static String page(String dataJson) {
        return resource("index.html")
                .replace("/*KNL_CSS*/", resource("ui.css"))
                .replace("/*KNL_DATA*/", "window.KNL_DATA = " + dataJson + ";")
                .replace("/*KNL_JS*/", resource("ui.js"));
    }

    private static String resource(String name) {
        try (InputStream in = UiPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the jar lacks io/kubenetlab/ui/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
