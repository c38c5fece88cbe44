package org.viewsync.immuta;

import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/** Starts and advances {@link PageCursor}s for the paging loops in the Immuta routes. */
@Component("immutaPaging")
public class ImmutaPaging {

    private final int pageSize;

    public ImmutaPaging(ImmutaProperties properties) {
        this.pageSize = properties.getPageSize();
    }

    /** A cursor before the first page of a list whose items sit in {@code itemsField}. */
    public PageCursor start(String itemsField) {
        return new PageCursor(pageSize, itemsField);
    }

    public void accept(PageCursor cursor, Map<String, Object> page) {
        cursor.accept(page);
    }

    public void acceptAt(PageCursor cursor, int offset, Map<String, Object> page) {
        cursor.acceptAt(offset, page);
    }
}
