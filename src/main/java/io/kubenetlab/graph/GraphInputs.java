package io.kubenetlab.graph;

import io.kubenetlab.model.EndpointRecord;
import io.kubenetlab.model.PodRecord;
import io.kubenetlab.model.ServiceRecord;
import io.kubenetlab.model.Topology;
import java.util.List;
import java.util.Map;

/**
 * What a drawing is made of: the lab's topology, pods, Services and their endpoints (a running lab's
 * state or a lab file's plan), and each pod's status by name when known (empty offline).
 */
public record GraphInputs(String lab, Topology topology, List<PodRecord> pods, List<ServiceRecord> services,
                          Map<String, List<EndpointRecord>> endpoints, Map<String, PodState> podStates) {
    /** A pod's phase and readiness as the API serves them. */
    public record PodState(String phase, boolean ready) {}

    public GraphInputs {
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        endpoints = Map.copyOf(endpoints);
        podStates = Map.copyOf(podStates);
    }

    /** A running lab as its state holds it, with its pods' states by name. */
    public static GraphInputs of(io.kubenetlab.model.LabState s, Map<String, PodState> podStates) {
        return new GraphInputs(s.name, s.topology, List.copyOf(s.pods), List.copyOf(s.services), new java.util.TreeMap<>(s.endpoints), podStates);
    }
}
