package dev.partita.vmms.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document kept in the repository and the server's route table name the same methods and paths. */
class OpenApiRoutesTest {

    @Test
    void documentAndRoutesAgree() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ManagementService.openApi());
        assertTrue(doc.path("openapi").asText().startsWith("3."), "an OpenAPI 3 document");
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String m = methods.next();
                if (Set.of("get", "post", "put", "patch", "delete").contains(m)) {
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
            }
        }
        Set<String> served = ApiRoutes.of(null, null, null, new byte[0]).stream()
                .map(r -> r.method() + " " + r.template()).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(served.isEmpty());
        assertEquals(served, documented, "routes served vs. documented in openapi.json");
    }

    @Test
    void everyPathParameterIsDocumented() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ManagementService.openApi());
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (!p.getKey().contains("{name}")) {
                continue;
            }
            for (JsonNode op : p.getValue()) {
                boolean has = false;
                for (JsonNode param : op.path("parameters")) {
                    has |= "name".equals(param.path("name").asText()) && "path".equals(param.path("in").asText());
                }
                assertTrue(has, p.getKey() + " documents its {name} parameter");
            }
        }
    }
}
