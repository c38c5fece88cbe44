package org.viewsync.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The JSON a view task keeps of the project and the data source it was scheduled for (view_task.project, data_source). */
@Component("json")
public class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    public String write(Object value) throws JsonProcessingException {
        return mapper.writeValueAsString(value);
    }

    public Map<String, Object> read(String json) throws JsonProcessingException {
        return json == null ? null : mapper.readValue(json, new TypeReference<>() { });
    }
}
