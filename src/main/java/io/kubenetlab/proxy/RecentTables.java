package io.kubenetlab.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tables behind the texts rendered or read most recently. A partial sync compares what a node holds
 * with the next table; both are texts the renderer wrote moments ago, so reading them back (2.5 MB each
 * for 1,000 Services) cost more than the rest of the sync. A text not remembered is parsed, so the
 * result never depends on what is cached. Tables are immutable; a text's hash is computed once.
 */
final class RecentTables {
    /** Each node holds one table and is given the next: a handful of nodes fit. */
    private static final int SIZE = 16;
    private static final Map<String, NftTable> RECENT = Collections.synchronizedMap(new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NftTable> eldest) {
            return size() > SIZE;
        }
    });

    private RecentTables() {}

    /** The table's text, remembered with the table. */
    static String write(NftTable table) {
        String text = NftText.write(table);
        RECENT.put(text, table);
        return text;
    }

    /** What {@link NftText#parse} says of the text, from memory when the text was written or read lately. */
    static Optional<NftTable> read(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        NftTable known = RECENT.get(text);
        if (known != null) return Optional.of(known);
        Optional<NftTable> parsed = NftText.parse(text);
        parsed.ifPresent(t -> RECENT.put(text, t));
        return parsed;
    }
}
