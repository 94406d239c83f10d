package io.kubenetlab.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.kubenetlab.model.LabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one gateway to the Docker engine (docker-java over httpclient5), as {@code Kernel} is to the
 * kernel: containers are created from {@link Spec} records, never from strings a shell would read.
 * {@code KUBENETLAB_DEBUG=1} prints each call on stderr.
 */
public final class DockerEngine implements AutoCloseable {
    private static final boolean DEBUG = "1".equals(System.getenv("KUBENETLAB_DEBUG"));
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    /**
     * A container to create. {@code machine}: a lab machine (node, router...) that may program its own
     * network: every capability but CAP_SYS_RESOURCE (this VM lacks it, so --privileged fails here),
     * seccomp and AppArmor unconfined. {@code networkOf}: join that container's network, UTS and IPC
     * namespaces (a pod's app container joining its sandbox); otherwise the network is "none".
     * {@code binds}: host path -> container path, read-only unless the container path ends in
     * {@link #WRITABLE} (a daemon's directory: its socket and pid file). {@code restart}: no, always or on-failure.
     */
    public record Spec(String name, String image, String hostname, List<String> entrypoint, List<String> env, Map<String, String> labels,
                       Map<String, String> sysctls, Map<String, String> binds, String networkOf, boolean machine, boolean init,
                       String restart) {}

    /** Marks a bind's container path as writable. */
    public static final String WRITABLE = ":rw";

    /** What inspect says of a container; times in epoch seconds (0: never). */
    public record State(String id, String status, boolean running, long pid, Integer exitCode, long startedAt, long finishedAt,
                        int restartCount, List<String> env, String workingDir) {
        public boolean restarting() {
            return "restarting".equals(status);
        }
    }

    private final DockerClient client;
    private final String host;

    private DockerEngine(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /** The engine at DOCKER_HOST (default the local socket); fails with what to do when none answers. */
    public static DockerEngine connect() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", DEFAULT_HOST);
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
        DockerEngine engine = new DockerEngine(DockerClientImpl.getInstance(config, http), host);
        try {
            engine.client.pingCmd().exec();
        } catch (RuntimeException e) {
            engine.close();
            throw new LabException("the docker runtime needs a Docker engine, and none answers on " + host
                    + " (start one with: sudo scripts/dockerd.sh start)");
        }
        return engine;
    }

    public String host() {
        return host;
    }

    /** Freezes ({@code pause}) or thaws every process of a container (the engine's freezer cgroup). */
    public void pause(String container, boolean pause) {
        debug((pause ? "pause " : "unpause ") + container);
        if (pause) client.pauseContainerCmd(container).exec();
        else client.unpauseContainerCmd(container).exec();
    }

    /**
     * Sends a signal to a container's PID 1 (docker kill -s). The engine counts it as a manual stop: it
     * does not restart the container when it exits. Gone or not running is fine.
     */
    public void signal(String container, String signal) {
        debug("kill -s " + signal + " " + container);
        try {
            client.killContainerCmd(container).withSignal(signal).exec();
        } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException e) {
            // gone, or not running: nothing to stop
        }
    }

    /** A label of a local image, or null (no such image or label). */
    public String imageLabel(String image, String label) {
        try {
            var cfg = client.inspectImageCmd(image).exec().getConfig();
            return cfg == null || cfg.getLabels() == null ? null : cfg.getLabels().get(label);
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return null;
        }
    }

    public boolean imageExists(String image) {
        debug("image inspect " + image);
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Pulls an image from its registry; fails with a reason naming the image (and how to map it). */
    public void pull(String image) {
        debug("pull " + image);
        try {
            if (!client.pullImageCmd(image).start().awaitCompletion(5, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new LabException("pulling image " + image + " timed out after 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while pulling image " + image);
        } catch (RuntimeException e) {
            if (e instanceof LabException) throw e;
            throw new LabException("image " + image + " is not on this machine and cannot be pulled (" + e.getMessage()
                    + "): build it locally, or map it to a local image in the lab file's images: section");
        }
    }

    /** Creates and starts a container; returns its id. */
    public String run(Spec s) {
        debug("run " + s);
        HostConfig hc = HostConfig.newHostConfig()
                .withNetworkMode(s.networkOf() == null ? "none" : "container:" + s.networkOf())
                .withInit(s.init())
                .withRestartPolicy(switch (s.restart()) {
                    case "always" -> RestartPolicy.alwaysRestart();
                    case "on-failure" -> RestartPolicy.parse("on-failure");
                    default -> RestartPolicy.noRestart();
                });
        // A sandbox shares its IPC namespace with the pod's containers, as Kubernetes' pause does.
        hc.withIpcMode(s.networkOf() == null ? "shareable" : "container:" + s.networkOf());
        if (!s.sysctls().isEmpty()) hc.withSysctls(s.sysctls());
        if (s.machine()) {
            hc.withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
        }
        List<Bind> binds = new ArrayList<>();
        s.binds().forEach((from, to) -> binds.add(to.endsWith(WRITABLE)
                ? new Bind(from, new Volume(to.substring(0, to.length() - WRITABLE.length())), AccessMode.rw)
                : new Bind(from, new Volume(to), AccessMode.ro)));
        if (!binds.isEmpty()) hc.withBinds(binds);
        CreateContainerCmd cmd = client.createContainerCmd(s.image()).withName(s.name()).withLabels(s.labels())
                .withEntrypoint(s.entrypoint()).withEnv(s.env()).withHostConfig(hc);
        // A container joining another's network namespace shares its hostname too (docker refuses a second one).
        if (s.networkOf() == null && s.hostname() != null) cmd.withHostName(s.hostname());
        String id = cmd.exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    /** The container's state, or null when there is no such container. */
    public State inspect(String nameOrId) {
        InspectContainerResponse r;
        try {
            r = client.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            return null;
        }
        var st = r.getState();
        Long pid = st.getPidLong();
        Long exit = st.getExitCodeLong();
        boolean ran = st.getStartedAt() != null && !st.getStartedAt().startsWith("0001");
        boolean ended = "exited".equals(st.getStatus()) || "dead".equals(st.getStatus()) || "restarting".equals(st.getStatus());
        return new State(r.getId(), st.getStatus(), Boolean.TRUE.equals(st.getRunning()), pid == null ? 0 : pid,
                ended && ran && exit != null ? Integer.valueOf(exit.intValue()) : null,
                seconds(st.getStartedAt()), seconds(st.getFinishedAt()), r.getRestartCount() == null ? 0 : r.getRestartCount(),
                r.getConfig().getEnv() == null ? List.of() : List.of(r.getConfig().getEnv()),
                r.getConfig().getWorkingDir() == null || r.getConfig().getWorkingDir().isEmpty() ? "/" : r.getConfig().getWorkingDir());
    }

    private static long seconds(String time) {
        if (time == null || time.isEmpty() || time.startsWith("0001")) return 0;
        return Instant.parse(time).getEpochSecond();
    }

    /** Ids of every container (running or not) carrying label key=value. */
    public List<String> withLabel(String key, String value) {
        debug("ps -a --filter label=" + key + "=" + value);
        return client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec().stream()
                .map(Container::getId).toList();
    }

    /** Removes a container (killing it first); gone already is fine. */
    public void remove(String id) {
        debug("rm -f " + id);
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /** The container's output so far, stdout and stderr interleaved as written. */
    public String logs(String nameOrId) {
        StringBuilder sb = new StringBuilder();
        try {
            client.logContainerCmd(nameOrId).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            sb.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion();
        } catch (NotFoundException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sb.toString();
    }

    private static void debug(String what) {
        if (DEBUG) System.err.println("+ docker " + what);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing to do: the process is about to exit or the engine is gone
        }
    }
}
