package io.kubenetlab.proxy;

import java.util.List;
import java.util.Objects;

/** A service port and its endpoints (in any order: the renderer sorts them). */
public record ServiceEndpoints(ServicePort service, List<Endpoint> endpoints) {

    public ServiceEndpoints {
        Objects.requireNonNull(service, "service");
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
