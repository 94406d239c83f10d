package io.kubenetlab.plan;

/** An IPv4 address with its prefix length ({@code 10.100.0.2/24}) on a link. */
public record AddressPlan(String cidr, String dev) {}
