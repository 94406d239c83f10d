package io.kubenetlab.controller;

import io.kubenetlab.lab.FakeLab;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A controller on the article's lab over fakes (no root), fresh for each test; subclasses add their own set-up. */
abstract class ControllerOnArticleLab {
    private final String labName;
    @TempDir
    Path stateRoot;
    FakeLab lab;
    Controller controller;

    ControllerOnArticleLab(String labName) {
        this.labName = labName;
    }

    @BeforeEach
    void startController() {
        lab = FakeLab.article(stateRoot, labName);
        controller = new Controller(lab.engine);
    }

    @AfterEach
    void stopController() {
        controller.close();
    }
}
