package io.kubenetlab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The API's view of the lab, as the apiserver's watch cache: every object as served, with a
 * resourceVersion that grows with every change, and the recent changes for watches. The controller
 * hands it the objects as they are now ({@link #sync}); it works out what was added, modified or
 * deleted, so every writer (API calls, probes, dying processes) produces watch events the same way.
 */
public final class ObjectCache {
    /** A watch event: ADDED, MODIFIED or DELETED; {@code previous} is the object before a MODIFIED. */
    public record Change(long rv, String type, ResourceType resource, ObjectNode object, ObjectNode previous) {}

    private record Entry(ObjectNode bare, ObjectNode served) {}

    /** Enough history for a kubectl that lists and then watches; older watches get 410 Gone. */
    private static final int HISTORY = 20_000;

    private final Map<ResourceType, TreeMap<String, Entry>> objects = new HashMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private long rv;
    private long oldestReplayable;

    public ObjectCache(long firstResourceVersion) {
        this.rv = firstResourceVersion;
        this.oldestReplayable = firstResourceVersion;
        for (ResourceType t : Resources.ALL_TYPES) objects.put(t, new TreeMap<>());
    }

    /** Makes the cache hold exactly {@code now} for this resource; returns how many objects changed. */
    public synchronized int sync(ResourceType t, Map<String, ObjectNode> now) {
        TreeMap<String, Entry> mine = objects.get(t);
        int changed = 0;
        for (var e : now.entrySet()) {
            Entry old = mine.get(e.getKey());
            if (old != null && old.bare().equals(e.getValue())) continue;
            ObjectNode served = stamp(e.getValue().deepCopy(), ++rv);
            mine.put(e.getKey(), new Entry(e.getValue().deepCopy(), served));
            publish(new Change(rv, old == null ? "ADDED" : "MODIFIED", t, served, old == null ? null : old.served()));
            changed++;
        }
        for (String gone : new ArrayList<>(mine.keySet())) {
            if (now.containsKey(gone)) continue;
            Entry old = mine.remove(gone);
            publish(new Change(++rv, "DELETED", t, stamp(old.served().deepCopy(), rv), null));
            changed++;
        }
        return changed;
    }

    private static ObjectNode stamp(ObjectNode o, long rv) {
        ObjectNode meta = o.has("metadata") ? (ObjectNode) o.get("metadata") : o.putObject("metadata");
        meta.put("resourceVersion", Long.toString(rv));
        return o;
    }

    private void publish(Change c) {
        history.addLast(c);
        while (history.size() > HISTORY) oldestReplayable = history.removeFirst().rv();
        for (Subscription s : subscriptions) if (s.resource == c.resource()) s.queue.offer(c);
    }

    public synchronized long resourceVersion() {
        return rv;
    }

    public synchronized List<ObjectNode> list(ResourceType t) {
        List<ObjectNode> out = new ArrayList<>();
        for (Entry e : objects.get(t).values()) out.add(e.served().deepCopy());
        return out;
    }

    /** The object under "namespace/name" ("/name" when cluster-scoped), or null. */
    public synchronized ObjectNode get(ResourceType t, String key) {
        Entry e = objects.get(t).get(key);
        return e == null ? null : e.served().deepCopy();
    }

    public static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    /**
     * Starts a watch. Without a resourceVersion (or "0") the current objects come first as ADDED, as
     * the apiserver does; with one, the changes after it are replayed, or 410 Gone when too old.
     */
    public synchronized Subscription watch(ResourceType t, String fromResourceVersion) {
        Subscription s = new Subscription(t);
        if (fromResourceVersion == null || fromResourceVersion.isEmpty() || fromResourceVersion.equals("0")) {
            for (Entry e : objects.get(t).values()) s.queue.offer(new Change(rv, "ADDED", t, e.served().deepCopy(), null));
        } else {
            long from;
            try {
                from = Long.parseLong(fromResourceVersion);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid resource version \"" + fromResourceVersion + "\"");
            }
            if (from < oldestReplayable) {
                throw new ApiException(410, "Expired", "too old resource version: " + from + " (" + oldestReplayable + ")", null, null, null, List.of());
            }
            for (Change c : history) if (c.rv() > from && c.resource() == t) s.queue.offer(c);
        }
        subscriptions.add(s);
        return s;
    }

    /** A running watch: its events arrive on {@link #queue()}; close it when the client goes. */
    public final class Subscription implements AutoCloseable {
        private final ResourceType resource;
        private final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();

        private Subscription(ResourceType resource) {
            this.resource = resource;
        }

        public BlockingQueue<Change> queue() {
            return queue;
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }
}
