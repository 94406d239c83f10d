package io.kubenetlab;

/**
 * What a command run in a lab's pod, node or host gave: its exit code and what it printed on
 * standard output and standard error, separately.
 *
 * @param exitCode the command's exit code (0: success)
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
    /**
     * Whether the command exited with 0.
     *
     * @return true for exit code 0
     */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
