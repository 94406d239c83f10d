package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeakCheck matches only a lab's own name, never a neighbour's that starts the same. */
class LeakCheckTest {

    @Test
    void theLabsNameMatchesAsAWholeWordOnly() {
        var w = LeakCheck.word("hyg-12-ab");
        assertThat(w.matcher("/run/netns/knl-hyg-12-ab-node1").find()).isTrue();
        assertThat(w.matcher("/tmp/hyg-12-ab").find()).isTrue();
        assertThat(w.matcher("alias kubenetlab:hyg-12-ab:cbr0").find()).isTrue();
        assertThat(w.matcher("/run/netns/knl-hyg-12-abc-node1").find()).as("another lab: hyg-12-abc").isFalse();
        assertThat(w.matcher("/tmp/xhyg-12-ab").find()).isFalse();
        assertThat(w.matcher("/run/netns/knl-hyg-12-a").find()).isFalse();
    }

    @Test
    void listingGoesDownToItsDepthOnly(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/f"), "x");
        assertThat(LeakCheck.list(dir, 2)).containsExactlyInAnyOrder(dir.resolve("a").toString(), dir.resolve("a/b").toString(),
                dir.resolve("a/f").toString());
        assertThat(LeakCheck.list(dir.resolve("missing"), 3)).isEmpty();
    }
}
