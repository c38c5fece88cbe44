package org.viewsync.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.Resource;

/** The simulator's starting state, read from a YAML file such as {@code simulator/catalog.yaml}. */
public class Catalog {

    public List<DataSource> dataSources = new ArrayList<>();
    public List<Project> projects = new ArrayList<>();

    public static Catalog load(Resource resource) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = resource.getInputStream()) {
            return yaml.readValue(in, Catalog.class);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the simulator catalog " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A data source: a table in the target database, governed by Immuta. */
    public static class DataSource {
        public long id;
        public String name;
        /** Immuta's blobHandlerType. */
        public String handler;
        /** Immuta's sqlTableName, which names the view. */
        public String table;
        /** The table the view selects from, as the target database names it. */
        public String source;
        public List<String> columns = new ArrayList<>();
        public Policy policy = new Policy();
        public boolean disabled;
    }

    /** A project; only equalized projects get views. */
    public static class Project {
        public long id;
        public String name;
        public boolean equalized;
        public List<Long> dataSources = new ArrayList<>();
        public Policy policy = new Policy();
    }

    /** What a policy does to the view: columns it masks, and rows it keeps. */
    public static class Policy {
        public List<String> masked = new ArrayList<>();
        /** A SQL condition over the source table's columns; null keeps every row. */
        public String rowFilter;
    }
}
