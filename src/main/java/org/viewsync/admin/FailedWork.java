package org.viewsync.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Shapes the answer of {@code GET /admin/failed}. */
@Component("failedWork")
public class FailedWork {

    public Map<String, Object> listing(List<Map<String, Object>> notifications, List<Map<String, Object>> viewTasks) {
        Map<String, Object> listing = new LinkedHashMap<>();
        listing.put("notifications", notifications);
        listing.put("viewTasks", viewTasks);
        return listing;
    }
}
