package org.viewsync.view;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Compares the views the service keeps with what Immuta lists, for the workflows that make one model match Immuta. */
@Component("managedViews")
public class ManagedViews {

    /**
     * The managed rows whose {@code managedField} (an id) is not the {@code wantedField} of any item Immuta listed: a
     * project's views of data sources no longer in it, or a data source's views in projects no longer holding it.
     */
    public List<Map<String, Object>> unwanted(Collection<Map<String, Object>> managed, String managedField,
                                              Collection<Map<String, Object>> wanted, String wantedField) {
        Set<String> listed = wanted.stream().map(item -> String.valueOf(item.get(wantedField))).collect(Collectors.toSet());
        return managed.stream().filter(row -> !listed.contains(String.valueOf(row.get(managedField))))
                .filter(row -> Objects.nonNull(row.get(managedField))).toList();
    }
}
