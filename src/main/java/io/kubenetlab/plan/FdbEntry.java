package io.kubenetlab.plan;

/** A permanent forwarding entry of a VXLAN device: frames for {@code mac} go to the VTEP at {@code dst}. */
public record FdbEntry(String mac, String dev, String dst) {}
