package org.viewsync.immuta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pages of one of Immuta's lists, read one by one or, once the count is known, at once in any order. */
class PageCursorTest {

    @Test
    void withACountThePagesAfterTheFirstAreKnownAndTheirItemsKeepTheirOrder() {
        PageCursor cursor = new PageCursor(2, "hits");
        cursor.accept(page(List.of(0, 1), 7));

        assertThat(cursor.otherOffsets()).containsExactly(2, 4, 6);
        cursor.acceptAt(6, page(List.of(6), 7));
        cursor.acceptAt(2, page(List.of(2, 3), 7));
        cursor.acceptAt(4, page(List.of(4, 5), 7));

        assertThat(cursor.getItems()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(cursor.hasMore()).isFalse();
        assertThat(cursor.otherOffsets()).as("handed out once, after the first page only").isEmpty();
    }

    @Test
    void withoutACountItGoesPageByPageUntilAShortPage() {
        PageCursor cursor = new PageCursor(2, "dataSources");
        cursor.accept(Map.of("dataSources", List.of("a", "b")));

        assertThat(cursor.otherOffsets()).isEmpty();
        assertThat(cursor.hasMore()).isTrue();
        assertThat(cursor.getOffset()).isEqualTo(2);
        cursor.accept(Map.of("dataSources", List.of("c")));

        assertThat(cursor.hasMore()).isFalse();
        assertThat(cursor.getItems()).containsExactly("a", "b", "c");
    }

    @Test
    void aListThatGrewWhileItsPagesWereReadIsReadOnToItsEnd() {
        PageCursor cursor = new PageCursor(2, "hits");
        cursor.accept(page(List.of(0, 1), 4));
        cursor.otherOffsets().forEach(offset -> cursor.acceptAt(offset, page(List.of(offset, offset + 1), 5)));

        assertThat(cursor.hasMore()).as("the last page said 5 items").isTrue();
        assertThat(cursor.getOffset()).isEqualTo(4);
        cursor.accept(page(List.of(4), 5));

        assertThat(cursor.hasMore()).isFalse();
        assertThat(cursor.getItems()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void anImmutaAnsweringFewerItemsThanAskedForIsReadPageByPageWithoutSkippingAny() {
        PageCursor cursor = new PageCursor(4, "hits");
        cursor.accept(page(List.of(0, 1), 6));

        assertThat(cursor.otherOffsets()).as("the first page was short: its size says nothing of the others").isEmpty();
        assertThat(cursor.getOffset()).isEqualTo(2);
        cursor.accept(page(List.of(2, 3), 6));
        cursor.accept(page(List.of(4, 5), 6));

        assertThat(cursor.hasMore()).isFalse();
        assertThat(cursor.getItems()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aPageReadTwiceCountsOnce() {
        PageCursor cursor = new PageCursor(2, "hits");
        cursor.accept(page(List.of(0, 1), 4));
        cursor.acceptAt(2, page(List.of(2, 3), 4));
        cursor.acceptAt(2, page(List.of(2, 3), 4));

        assertThat(cursor.hasMore()).isFalse();
        assertThat(cursor.getItems()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void anApiIgnoringTheOffsetCannotHoldUsForever() {
        PageCursor cursor = new PageCursor(1, "hits");
        cursor.accept(page(List.of(0), Integer.MAX_VALUE));

        assertThat(cursor.otherOffsets()).hasSize(PageCursor.MAX_PAGES - 1);
        IntStream.range(1, PageCursor.MAX_PAGES).forEach(offset -> cursor.acceptAt(offset, page(List.of(0), Integer.MAX_VALUE)));
        assertThat(cursor.hasMore()).isFalse();
    }

    private static Map<String, Object> page(List<?> items, long count) {
        return Map.of("hits", items, "count", count);
    }
}
