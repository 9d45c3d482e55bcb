package dev.sluice.user;

import static dev.sluice.support.Api.ADMIN_EMAIL;
import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.newUser;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTests {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void adminCreatesListsUpdatesAndDeletesUsers() {
        var u = newUser("VIEWER");
        as(TestTokens.admin())
                .get("/api/users/{id}", u.get("id"))
                .then()
                .statusCode(200)
                .body(
                        "email",
                        equalTo(u.get("email")),
                        "roles",
                        containsInAnyOrder("VIEWER"),
                        "$",
                        not(hasKey("passwordHash")));
        as(TestTokens.admin())
                .queryParam("q", u.get("email").substring(0, 10).toUpperCase())
                .get("/api/users")
                .then()
                .statusCode(200)
                .body("items.email", hasItem(u.get("email")), "totalItems", equalTo(1));
        as(TestTokens.admin())
                .body(Map.of("email", u.get("email"), "roles", List.of("EDITOR", "VIEWER"), "active", true))
                .put("/api/users/{id}", u.get("id"))
                .then()
                .statusCode(200)
                .body("roles", containsInAnyOrder("EDITOR", "VIEWER"));
        as(TestTokens.admin()).delete("/api/users/{id}", u.get("id")).then().statusCode(204);
        as(TestTokens.admin())
                .get("/api/users/{id}", u.get("id"))
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void invalidUsersAreRejectedFieldByField() {
        as(TestTokens.admin())
                .body(Map.of("email", "not-an-email", "password", "short", "roles", List.of("ROOT")))
                .post("/api/users")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "errors.field",
                        hasItem("email"),
                        "errors.field",
                        hasItem("password"),
                        "errors.field",
                        hasItem("roles"));
    }

    @Test
    void duplicateEmailInAnyCaseIsA409() {
        var u = newUser("VIEWER");
        as(TestTokens.admin())
                .body(Map.of(
                        "email",
                        u.get("email").toUpperCase(),
                        "password",
                        "long-enough-pw",
                        "roles",
                        List.of("VIEWER")))
                .post("/api/users")
                .then()
                .statusCode(409)
                .contentType(PROBLEM);
    }

    @Test
    void onlyAdminsManageUsers() {
        as(TestTokens.editor()).get("/api/users").then().statusCode(403).contentType(PROBLEM);
        as(TestTokens.viewer())
                .body(Map.of("email", "x@example.com", "password", "long-enough-pw", "roles", List.of("ADMIN")))
                .post("/api/users")
                .then()
                .statusCode(403);
    }

    @Test
    void theLastActiveAdminCannotBeRemovedDemotedOrDeactivated() {
        // Leave the bootstrap admin as the only active ADMIN.
        List<Map<String, Object>> all = as(TestTokens.admin())
                .queryParam("size", 200)
                .get("/api/users")
                .then()
                .extract()
                .path("items");
        String bootstrapId = null;
        for (Map<String, Object> u : all) {
            if (ADMIN_EMAIL.equals(u.get("email"))) {
                bootstrapId = (String) u.get("id");
            } else if (((List<?>) u.get("roles")).contains("ADMIN") && Boolean.TRUE.equals(u.get("active"))) {
                as(TestTokens.admin())
                        .delete("/api/users/{id}", u.get("id"))
                        .then()
                        .statusCode(204);
            }
        }
        as(TestTokens.admin())
                .delete("/api/users/{id}", bootstrapId)
                .then()
                .statusCode(409)
                .contentType(PROBLEM);
        as(TestTokens.admin())
                .body(Map.of("email", ADMIN_EMAIL, "roles", List.of("EDITOR"), "active", true))
                .put("/api/users/{id}", bootstrapId)
                .then()
                .statusCode(409);
        as(TestTokens.admin())
                .body(Map.of("email", ADMIN_EMAIL, "roles", List.of("ADMIN"), "active", false))
                .put("/api/users/{id}", bootstrapId)
                .then()
                .statusCode(409);
        // With a second admin, the first may step down.
        var second = newUser("ADMIN");
        as(TestTokens.admin())
                .body(Map.of("email", ADMIN_EMAIL, "roles", List.of("ADMIN", "EDITOR"), "active", true))
                .put("/api/users/{id}", bootstrapId)
                .then()
                .statusCode(200);
        as(TestTokens.admin())
                .delete("/api/users/{id}", second.get("id"))
                .then()
                .statusCode(204);
    }
}
