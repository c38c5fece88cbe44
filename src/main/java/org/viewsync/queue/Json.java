package org.viewsync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * The JSON a view task keeps of the project and the data source it was scheduled for (view_task.project, data_source),
 * as text for its column; the worker reads it back with the Jackson data format.
 */
@Component("json")
public class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    public String write(Object value) throws JsonProcessingException {
        return mapper.writeValueAsString(value);
    }
}
