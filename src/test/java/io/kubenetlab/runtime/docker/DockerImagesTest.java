package io.kubenetlab.runtime.docker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.model.LabException;
import org.junit.jupiter.api.Test;

/** A docker image built before a plugin's daemon existed is refused before anything is created, with what to do. */
class DockerImagesTest {
    @Test
    void anImageWithoutTheDaemonsPackageIsAClearError() {
        assertThatThrownBy(() -> DockerImages.requireProgram("python3,iproute2", "kubenetlab/node:bookworm", "bird", "bgp"))
                .isInstanceOf(LabException.class)
                .hasMessage("the bgp network plugin runs bird (Debian package bird2) in the docker runtime's kubenetlab/node:bookworm, "
                        + "which was built without it: rebuild the images with: sudo scripts/build-images.sh");
        assertThatThrownBy(() -> DockerImages.requireProgram((String) null, "kubenetlab/node:bookworm", "bird", "bgp")).isInstanceOf(LabException.class);
        assertThatCode(() -> DockerImages.requireProgram("python3,bird2,iproute2", "kubenetlab/node:bookworm", "bird", "bgp")).doesNotThrowAnyException();
    }
}
