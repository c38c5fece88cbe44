package org.viewsync.immuta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/**
 * Whether a project is equalized, from what Immuta really returns: {@code GET /project/{id}} carries no
 * {@code isEqualized} in Immuta's API description (only the project search's hits do), so its
 * {@code checkEqualizationState} decides, against {@code immuta.equalized-states}. An {@code isEqualized} in the
 * project's own answer wins.
 */
@Component("equalization")
public class Equalization {

    private final List<String> equalizedStates;

    public Equalization(ImmutaProperties properties) {
        this.equalizedStates = List.copyOf(properties.getEqualizedStates());
    }

    /** The project with {@code isEqualized} set from its equalization state answer ({@code {equalizationState}}). */
    public Map<String, Object> withState(Map<String, Object> project, Map<String, Object> stateAnswer) {
        Map<String, Object> decided = new LinkedHashMap<>(project);
        Object state = stateAnswer == null ? null : stateAnswer.get("equalizationState");
        decided.put("isEqualized", state instanceof String name && equalizedStates.contains(name));
        decided.put("equalizationState", state);
        return decided;
    }
}
