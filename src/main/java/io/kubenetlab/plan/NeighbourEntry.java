package io.kubenetlab.plan;

/** A permanent neighbour (ARP) entry: {@code ip} is at {@code mac} on {@code dev}. */
public record NeighbourEntry(String ip, String mac, String dev) {}
