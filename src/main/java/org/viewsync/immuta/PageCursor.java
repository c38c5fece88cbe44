package org.viewsync.immuta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks Immuta's offset-paged lists ({@code {count, hits}} or {@code {count, dataSources}}), gathering the items in
 * the order of their offsets. The paging route reads the first page; when it carries a {@code count}, the route
 * reads the {@link #otherOffsets() other pages} at once, each with its offset; then it goes on page by page while
 * {@link #hasMore()} (an Immuta without {@code count}, or a list that grew meanwhile).
 */
public class PageCursor {

    /** A bound on pages, so that an API ignoring {@code offset} cannot loop us forever. */
    static final int MAX_PAGES = 10_000;

    private final int size;
    private final String itemsField;
    private final TreeMap<Integer, List<?>> pagesByOffset = new TreeMap<>();
    private long total = -1;
    private boolean lastPageEmpty;

    public PageCursor(int size, String itemsField) {
        this.size = size;
        this.itemsField = itemsField;
    }

    /** Takes in the page at {@link #getOffset()}: the next one after those read. */
    public void accept(Map<String, Object> page) {
        acceptAt(getOffset(), page);
    }

    /** Takes in the page read at {@code offset}; pages read at once may come back in any order. */
    public synchronized void acceptAt(int offset, Map<String, Object> page) {
        Object pageItems = page.get(itemsField);
        if (!(pageItems instanceof List<?> list)) {
            throw new IllegalStateException("Immuta answered a page without a '" + itemsField + "' list: keys " + page.keySet());
        }
        pagesByOffset.put(offset, list);
        lastPageEmpty = list.isEmpty();
        if (page.get("count") instanceof Number count) {
            total = count.longValue();
        }
    }

    /**
     * The offsets of the pages after the first one, when the first one was full and said how many items there are;
     * none otherwise (an Immuta that answers fewer items than asked for is read page by page), and none after the
     * first page. Bounded by {@link #MAX_PAGES}.
     */
    public synchronized List<Integer> otherOffsets() {
        List<Integer> offsets = new ArrayList<>();
        if (pagesByOffset.size() != 1 || total < 0 || getOffset() != size) {
            return offsets;
        }
        for (long offset = size; offset < total && offsets.size() < MAX_PAGES - 1; offset += size) {
            offsets.add((int) offset);
        }
        return offsets;
    }

    public synchronized boolean hasMore() {
        if (pagesByOffset.isEmpty()) {
            return true;
        }
        if (lastPageEmpty || pagesByOffset.size() >= MAX_PAGES) {
            return false;
        }
        // Without a count, a short page is the last one.
        return total >= 0 ? getOffset() < total : pagesByOffset.lastEntry().getValue().size() == size;
    }

    public int getSize() {
        return size;
    }

    /** The offset of the next page to read: past the last page read. */
    public synchronized int getOffset() {
        Map.Entry<Integer, List<?>> last = pagesByOffset.lastEntry();
        return last == null ? 0 : last.getKey() + last.getValue().size();
    }

    public synchronized List<Object> getItems() {
        List<Object> items = new ArrayList<>();
        pagesByOffset.values().forEach(items::addAll);
        return items;
    }
}
