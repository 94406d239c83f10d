package io.kubenetlab.lab;

import io.kubenetlab.k8s.ContainerPort;
import java.util.List;
import java.util.Map;

/** A container as it runs: the resolved argv and environment, and the image profile behind it. */
public record ContainerRecord(String name, String image, String profile, List<String> argv, Map<String, String> env,
                              List<ContainerPort> ports) {}
