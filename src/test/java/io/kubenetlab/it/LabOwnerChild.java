package io.kubenetlab.it;

import io.kubenetlab.KubenetLab;
import io.kubenetlab.Lab;

/**
 * A test JVM in miniature, for {@link LabSessionsIT}: starts a small lab through the public API,
 * prints its name, then waits to be killed (SIGKILL: the next run reaps the lab; SIGTERM: its
 * shutdown hook destroys it).
 */
public final class LabOwnerChild {
    private LabOwnerChild() {}

    public static void main(String[] args) throws InterruptedException {
        Lab lab = KubenetLab.builder().name(args[0]).nodes(1).pod("client").start();
        System.out.println("LAB " + lab.name());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
