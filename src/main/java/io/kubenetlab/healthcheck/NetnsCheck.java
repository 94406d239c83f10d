package io.kubenetlab.healthcheck;

import io.kubenetlab.kubelet.NetnsExecutors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Proof that the calling thread is in the network namespace at {@code netns}: a socket opened anywhere
 * else would land in the root namespace, which a lab never touches.
 */
final class NetnsCheck {
    private NetnsCheck() {}

    static void require(Path netns) throws IOException {
        String err = NetnsExecutors.joinError();
        if (err != null) throw new IOException(err);
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(); // net:[4026532291]
        Object inode = Files.getAttribute(netns, "unix:ino");
        if (!self.equals("net:[" + inode + "]")) throw new IOException("this thread is in " + self + ", not in " + netns + " (inode " + inode + ")");
    }
}
