package io.kubenetlab.model;

/**
 * A process we started: its pid plus its start time in clock ticks since boot (field 22 of
 * /proc/PID/stat), so a recycled pid is never mistaken for ours.
 */
public record ProcessRef(long pid, long startTicks) {}
