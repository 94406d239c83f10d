package io.kubenetlab.dns;

/**
 * One resource record of the cluster zone: {@code type} A, SRV or CNAME; {@code data} is the address,
 * the CNAME target, or for SRV "priority weight port target".
 */
public record DnsRecord(String type, String data) {}
