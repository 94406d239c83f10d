package io.kubenetlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a DELETE asks beyond the object's name: a grace period (null: the object's own, a pod's
 * terminationGracePeriodSeconds; 0: at once, what {@code kubectl delete --grace-period=0 --force} sends)
 * and a propagation policy (checked, not acted on: dependents are always deleted in the background).
 * Read from the query (?gracePeriodSeconds=) and the body (a DeleteOptions object), the body winning.
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null);
    private static final List<String> POLICIES = List.of("Orphan", "Background", "Foreground");

    public static DeleteOptions parse(Map<String, String> query, JsonNode body) {
        Long grace = null;
        String policy = query.get("propagationPolicy");
        String q = query.get("gracePeriodSeconds");
        if (q != null) {
            try {
                grace = Long.parseLong(q);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("gracePeriodSeconds: invalid value \"" + q + "\": must be an integer");
            }
        }
        if (body != null && body.isObject()) {
            JsonNode g = body.get("gracePeriodSeconds");
            if (g != null && !g.isNull()) {
                if (!g.canConvertToLong() || !g.isIntegralNumber()) {
                    throw ApiException.badRequest("DeleteOptions.gracePeriodSeconds: invalid value " + g + ": must be an integer");
                }
                grace = g.asLong();
            }
            JsonNode p = body.get("propagationPolicy");
            if (p != null && !p.isNull()) policy = p.asText();
        }
        if (policy != null && !POLICIES.contains(policy)) {
            throw new ApiException(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \""
                    + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"", null, null, null,
                    List.of(new ApiException.Cause("FieldValueNotSupported", "Unsupported value: \"" + policy + "\"", "propagationPolicy")));
        }
        // staging apiserver/pkg/registry/rest/delete.go: a negative grace period counts as 1 second.
        if (grace != null && grace < 0) grace = 1L;
        return new DeleteOptions(grace, policy);
    }
}
