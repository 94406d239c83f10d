package io.kubenetlab.cli;

import io.kubenetlab.config.ConfigException;
import io.kubenetlab.model.LabException;
import io.kubenetlab.kernel.KernelException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kubenetlab} command: a thin layer over {@link io.kubenetlab.lab.Lab}, one class per verb. */
@Command(name = "kubenetlab", mixinStandardHelpOptions = true, version = "kubenetlab 0.1.0",
        description = "Builds a Kubernetes cluster's network from real Linux namespaces, bridges and routes.")
public final class Main {
    /** The verbs, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DeployCommand.class, DestroyCommand.class, InspectCommand.class, PlanCommand.class,
            GraphCommand.class, UiCommand.class, BgpCommand.class, GetCommand.class, DescribeCommand.class, ApplyCommand.class,
            RulesCommand.class, TraceCommand.class, ScaleCommand.class, DeleteCommand.class, VerifyCommand.class, ExecCommand.class,
            LogsCommand.class, ImagesCommand.class, KubeconfigCommand.class, ControllerCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        int exit = run(args);
        stopHttpClientSelectors();
        System.exit(exit);
    }

    /**
     * The JVM's exit waits up to 300 ms for threads running native code to block (HotSpot's
     * VM_Exit::wait_for_threads_in_native_to_block), and JDK 17's HttpClient, which has no close(),
     * keeps its selector thread in epoll_wait: every verb that spoke to the lab's API took 0.3-0.4 s
     * longer to end than to finish (kubenetlab get pods: 1.2 s wall, 0.75 s now). Interrupted, the
     * selector's loop ends at once.
     */
    static void stopHttpClientSelectors() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith("HttpClient-") || !t.getName().endsWith("-SelectorManager")) continue;
            t.interrupt();
            try {
                t.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // picocli reads every registered verb's annotations up front: all twenty took 150-200 ms of each
        // CLI run's ~0.4 s, one takes 70 ms. A run that names its verb gets only that one; help, --version,
        // an unknown verb (with its suggestions) get them all.
        for (Class<?> verb : verbs(args)) cl.addSubcommand(verb);
        // Every verb answers -h/--help (and -V/--version) as kubectl's do; help has its own -h.
        for (CommandLine verb : cl.getSubcommands().values()) {
            if (!(verb.getCommand() instanceof CommandLine.HelpCommand)) verb.getCommandSpec().mixinStandardHelpOptions(true);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof LabException || ex instanceof KernelException
                    || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            // Anything else is our bug: one line for the user, the stack trace with KUBENETLAB_DEBUG=1.
            cmd.getErr().println("error: unexpected " + ex + (ex.getCause() != null ? " (" + ex.getCause() + ")" : "")
                    + "; run with KUBENETLAB_DEBUG=1 for details");
            if ("1".equals(System.getenv("KUBENETLAB_DEBUG"))) ex.printStackTrace();
            return 2;
        });
        // A command line that does not parse is bad input like any other: one "error:" line, a hint, exit 1.
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 1;
        });
        return cl.execute(args);
    }

    /** The verb the arguments name (the first one, as the top level has no option taking a value), or all of them. */
    static List<Class<?>> verbs(String... args) {
        if (args.length > 0 && !args[0].equals("help")) {
            for (Class<?> verb : SUBCOMMANDS) {
                Command c = verb.getAnnotation(Command.class);
                if (c.name().equals(args[0]) || List.of(c.aliases()).contains(args[0])) return List.of(verb);
            }
        }
        return SUBCOMMANDS;
    }
}
