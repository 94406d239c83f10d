package io.kubenetlab.lab;

/**
 * One named step of a deploy (kind's actions): it runs, the reporter prints its name and time, and
 * if a later step fails (or the deploy is interrupted) the steps that ran roll back, last first.
 */
record DeployStep(String name, Runnable run, Runnable rollback) {
    static final Runnable NOTHING = () -> { };

    static DeployStep of(String name, Runnable run) {
        return new DeployStep(name, run, NOTHING);
    }
}
