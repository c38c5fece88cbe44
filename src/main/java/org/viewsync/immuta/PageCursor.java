package org.viewsync.immuta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Walks Immuta's offset-paged lists ({@code {count, hits}} or {@code {count, dataSources}}), gathering the items.
 * The paging route reads {@link #getSize()} and {@link #getOffset()} into the request and loops while
 * {@link #hasMore()}.
 */
public class PageCursor {

    /** A bound on pages, so that an API ignoring {@code offset} cannot loop us forever. */
    static final int MAX_PAGES = 10_000;

    private final int size;
    private final String itemsField;
    private final List<Object> items = new ArrayList<>();
    private int offset;
    private int pages;
    private long total = -1;
    private boolean lastPageEmpty;

    public PageCursor(int size, String itemsField) {
        this.size = size;
        this.itemsField = itemsField;
    }

    /** Takes in one page's answer and moves past it. */
    public void accept(Map<String, Object> page) {
        Object pageItems = page.get(itemsField);
        if (!(pageItems instanceof List<?> list)) {
            throw new IllegalStateException("Immuta answered a page without a '" + itemsField + "' list: keys " + page.keySet());
        }
        items.addAll(list);
        pages++;
        offset += list.size();
        lastPageEmpty = list.isEmpty();
        if (page.get("count") instanceof Number count) {
            total = count.longValue();
        }
    }

    public boolean hasMore() {
        if (pages == 0) {
            return true;
        }
        if (lastPageEmpty || pages >= MAX_PAGES) {
            return false;
        }
        // Without a count, a short page is the last one.
        return total >= 0 ? offset < total : items.size() % size == 0;
    }

    public int getSize() {
        return size;
    }

    public int getOffset() {
        return offset;
    }

    public List<Object> getItems() {
        return items;
    }
}
