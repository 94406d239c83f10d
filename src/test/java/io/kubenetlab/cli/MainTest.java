package io.kubenetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The top level: which verbs a run registers (only the one it names), and help for each verb. */
class MainTest {
    @Test
    void aRunThatNamesItsVerbRegistersOnlyThatOne() {
        assertThat(Main.verbs("destroy", "--name", "x")).containsExactly(DestroyCommand.class);
        assertThat(Main.verbs("get", "pods")).containsExactly(GetCommand.class);
    }

    @Test
    void helpVersionNoVerbAndAnUnknownVerbRegisterThemAll() {
        for (String[] args : new String[][] {{}, {"--help"}, {"--version"}, {"help", "deploy"}, {"destory"}}) {
            assertThat(Main.verbs(args)).as(String.join(" ", args)).isEqualTo(Main.SUBCOMMANDS);
        }
    }

    @Test
    void everyVerbHasADistinctName() {
        assertThat(Main.SUBCOMMANDS.stream().map(c -> c.getAnnotation(Command.class).name())).doesNotHaveDuplicates().doesNotContain("<main class>");
    }

    @Test
    void everyVerbAnswersHelpWithItsUsageAndExitZero() {
        for (Class<?> verb : Main.SUBCOMMANDS) {
            String name = verb.getAnnotation(Command.class).name();
            for (String flag : new String[] {"--help", "-h"}) {
                CliRun run = CliRun.of(name, flag);
                assertThat(run.exit()).as(name + " " + flag + ": " + run.err()).isZero();
                assertThat(run.out()).as(name + " " + flag).contains("Usage: kubenetlab " + name);
            }
        }
    }

    @Test
    void theHttpClientsSelectorThreadIsStoppedBeforeExitSoTheJvmNeedNotWaitForIt() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        assertThat(selectors()).as("JDK 17 names its selector thread so").isNotEmpty();

        Main.stopHttpClientSelectors();

        assertThat(selectors()).isEmpty();
        assertThat(client).isNotNull(); // still reachable: only the interrupt stopped its thread
    }

    static java.util.List<Thread> selectors() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")).toList();
    }

    @Test
    void anUnknownVerbIsAnErrorWithASuggestion() {
        CliRun run = CliRun.of("destory");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'destory'").contains("kubenetlab destroy");
    }
}
