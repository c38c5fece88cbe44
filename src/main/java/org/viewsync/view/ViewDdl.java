package org.viewsync.view;

import org.springframework.stereotype.Component;
import org.viewsync.target.Target;

/** Renders the DDL the view routes run on a target, in the target's dialect, with every identifier quoted. */
@Component("viewDdl")
public class ViewDdl {

    public String createSchema(Target target) {
        return target.dialect().createSchemaIfMissing(target.schema());
    }

    public String createOrReplace(Target target, String view, String select) {
        return target.dialect().createOrReplaceView(target.schema(), view, select);
    }

    /** The fallback for a view whose columns changed; null where CREATE OR REPLACE already takes that. */
    public String dropAndCreate(Target target, String view, String select) {
        return target.dialect().dropAndCreateView(target.schema(), view, select).orElse(null);
    }

    public String drop(Target target, String view) {
        return target.dialect().dropViewIfExists(target.schema(), view);
    }
}
