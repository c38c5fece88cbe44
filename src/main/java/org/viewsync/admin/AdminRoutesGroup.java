package org.viewsync.admin;

import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * Puts the routes the REST DSL makes of the admin endpoints (routes/platform/admin.camel.yaml) in group
 * {@code platform}, beside the rest of the platform in Hawtio: a REST verb has no group of its own.
 */
@Component
public class AdminRoutesGroup extends ModelLifecycleStrategySupport {

    static final String GROUP = "platform";

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        if (Boolean.TRUE.equals(route.isRest()) && route.getGroup() == null) {
            route.setGroup(GROUP);
        }
    }
}
