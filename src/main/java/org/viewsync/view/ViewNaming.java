package org.viewsync.view;

import java.text.Normalizer;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.targets.Target;

/**
 * Names views from Immuta's project and table names. Names reach SQL only through this class and the target's
 * quoting, so whatever Immuta calls a project, the identifier is plain {@code [a-z0-9_]}, within the database's
 * limit, and stable across runs.
 */
@Component("viewNaming")
public class ViewNaming {

    /** An underscore and eight hex digits. */
    private static final int SUFFIX_LENGTH = 9;

    private final String template;

    public ViewNaming(ViewSyncProperties properties) {
        this.template = properties.getViews().getNameTemplate();
    }

    /** The view name for a data source's table in a project, cut to the target's limit with a hash suffix. */
    public String name(Target target, String projectName, String tableName) {
        String name = template.replace("{project}", slug(projectName)).replace("{table}", slug(tableName));
        if (!Character.isLetter(name.charAt(0))) {
            name = "v_" + name;
        }
        int limit = target.dialect().maxIdentifierBytes();
        return name.length() <= limit ? name : withSuffix(name, limit, name);
    }

    /**
     * A name for a view whose {@link #name} is already taken by another project and data source: distinct for each
     * pair, because the suffix hashes their ids.
     */
    public String distinctName(Target target, String name, long projectId, long dataSourceId) {
        return withSuffix(name, target.dialect().maxIdentifierBytes(), projectId + ":" + dataSourceId);
    }

    /** Lower case ASCII letters, digits and single underscores; accents dropped; never empty. */
    static String slug(String text) {
        String ascii = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "x" : slug;
    }

    private static String withSuffix(String name, int limit, String hashed) {
        String stem = name.length() > limit - SUFFIX_LENGTH ? name.substring(0, limit - SUFFIX_LENGTH) : name;
        return stem + "_" + Hashes.shortHash(hashed);
    }
}
