package io.kubenetlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fieldSelector}: {@code field=value}, {@code field==value}, {@code field!=value}, comma-separated,
 * on the fields the apiserver allows (metadata.name, metadata.namespace, spec.nodeName, status.phase,
 * involvedObject.*, type, reason...), read from the object by their dotted path.
 */
public final class FieldSelector {
    private record Term(String path, String value, boolean equal) {}

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector parse(String text) {
        List<Term> terms = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int ne = p.indexOf("!=");
                if (ne > 0) {
                    terms.add(new Term(p.substring(0, ne), p.substring(ne + 2), false));
                    continue;
                }
                int eq = p.indexOf("==");
                int len = 2;
                if (eq < 0) {
                    eq = p.indexOf('=');
                    len = 1;
                }
                if (eq <= 0) throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + p + "'");
                terms.add(new Term(p.substring(0, eq), p.substring(eq + len), true));
            }
        }
        return new FieldSelector(terms);
    }

    public boolean matches(JsonNode object) {
        for (Term t : terms) {
            JsonNode n = object;
            for (String f : t.path().split("\\.")) n = n.path(f);
            String v = n.isMissingNode() || n.isNull() ? "" : n.asText();
            if (v.equals(t.value()) != t.equal()) return false;
        }
        return true;
    }
}
