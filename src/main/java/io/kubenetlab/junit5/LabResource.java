package io.kubenetlab.junit5;

import io.kubenetlab.Lab;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab in a JUnit extension context's store: JUnit closes it when its class or test ends (older
 * versions through {@code CloseableResource}, newer ones through {@code AutoCloseable}), which
 * destroys the lab exactly once.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 closes only these
record LabResource(Lab lab, AtomicBoolean closed) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    LabResource(Lab lab) {
        this(lab, new AtomicBoolean());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) lab.close();
    }
}
