package dev.sluice.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Serialises problem details (with any extension members) for the REST mappers and raw Vert.x routes alike. */
@ApplicationScoped
public class ProblemBodies {
    private final ObjectMapper json;

    public ProblemBodies(ObjectMapper json) {
        this.json = json;
    }

    public String render(Problem p, Map<String, Object> extensions) {
        try {
            if (extensions == null || extensions.isEmpty()) return json.writeValueAsString(p);
            ObjectNode node = json.valueToTree(p);
            extensions.forEach(node::putPOJO);
            return json.writeValueAsString(node);
        } catch (JsonProcessingException ex) {
            return "{\"title\":\"" + p.title() + "\",\"status\":" + p.status() + "}";
        }
    }

    public String render(ApiException e, String path) {
        return render(new Problem(Problem.type(e.status()), e.title(), e.status(), e.getMessage(), path,
                e.errors().isEmpty() ? null : e.errors()), e.extensions());
    }
}
