package io.kubenetlab.model;

/**
 * A readiness or startup probe's last published result for one container run ({@code result}: SUCCESS or
 * FAILURE), saved with the lab so the next prober (the controller after deploy, or after a restart)
 * begins from it rather than from "not ready" and "not started".
 */
public record ProbeResultRecord(int run, String result) {}
