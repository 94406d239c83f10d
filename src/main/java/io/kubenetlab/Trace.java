package io.kubenetlab;

/**
 * One real connection traced hop by hop through a lab ({@code kubenetlab trace}): the kernel's
 * own trace of the rules it met on each machine, the NAT it was given and the route that carried it.
 *
 * @param verdict how it ended, e.g. {@code reached pod default/service-test-6d7f8-x2k4q on node2}, {@code no answer} or where it stopped
 * @param answer who answered, if anyone (null otherwise)
 * @param report the whole trace as {@code kubenetlab trace} prints it
 */
public record Trace(String verdict, String answer, String report) {}
