package org.viewsync.view;

import java.util.List;
import org.springframework.stereotype.Component;
import org.viewsync.targets.Target;

/**
 * Renders the DDL the view routes run on a target (through {@link org.viewsync.targets.TargetStatements}), in the
 * target's dialect, with every identifier quoted.
 */
@Component("viewDdl")
public class ViewDdl {

    public String createSchema(Target target) {
        return target.dialect().createSchemaIfMissing(target.schema());
    }

    public String createOrReplace(Target target, String view, String select) {
        return target.dialect().createOrReplaceView(target.schema(), view, select);
    }

    /** The fallback for a view whose columns changed, to run in one transaction; empty where CREATE OR REPLACE takes that. */
    public List<String> dropAndCreate(Target target, String view, String select) {
        return target.dialect().dropAndCreateView(target.schema(), view, select);
    }

    public String drop(Target target, String view) {
        return target.dialect().dropViewIfExists(target.schema(), view);
    }
}
