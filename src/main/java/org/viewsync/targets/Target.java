package org.viewsync.targets;

import java.util.List;

/**
 * One configured target database, as the routes see it.
 *
 * @param name         the key under {@code viewsync.targets}
 * @param schema       where its views live
 * @param dialect      how to speak to it
 * @param handlerTypes the Immuta blobHandlerType values it serves
 */
public record Target(String name, String schema, SqlDialect dialect, List<String> handlerTypes) {

    public boolean serves(String handlerType) {
        return handlerType != null && handlerTypes.stream().anyMatch(handlerType::equalsIgnoreCase);
    }

    @Override
    public String toString() {
        return name;
    }
}
