package io.kubenetlab.graph;

import io.kubenetlab.kernel.Kernel;
import io.kubenetlab.kernel.KernelException;
import io.kubenetlab.model.LabException;
import java.util.List;

/** Graphviz's {@code dot} turns the graph's text into SVG (through the kernel gateway, as every process). */
public final class Graphviz {
    private final Kernel kernel;

    public Graphviz(Kernel kernel) {
        this.kernel = kernel;
    }

    public String svg(String dotText) {
        Kernel.Result r;
        try {
            r = kernel.run(List.of("dot", "-Tsvg"), dotText, false);
        } catch (KernelException | LabException e) {
            throw missing(e.getMessage());
        } catch (RuntimeException e) {
            throw missing(e.toString());
        }
        if (r.exit() != 0) {
            if (r.exit() == 127 || r.stderr().contains("No such file")) throw missing(r.stderr());
            throw new LabException("dot -Tsvg failed (exit " + r.exit() + "): " + r.stderr().strip());
        }
        return r.stdout();
    }

    private static LabException missing(String why) {
        return new LabException("drawing SVG needs Graphviz's dot (apt-get install graphviz; scripts/setup.sh installs it): "
                + why.strip() + "; -o dot needs nothing");
    }
}
