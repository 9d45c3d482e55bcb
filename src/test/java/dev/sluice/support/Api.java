package dev.sluice.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Small helpers for API tests: log in, make users. */
public final class Api {
    public static final String ADMIN_EMAIL = "admin@sluice.local";
    public static final String ADMIN_PASSWORD = "admin";

    private Api() {}

    public static RequestSpecification json() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification as(String accessToken) {
        return json().auth().oauth2(accessToken);
    }

    public static Response login(String email, String password) {
        return json().body(Map.of("email", email, "password", password)).post("/api/auth/login");
    }

    /** Logs in and returns {accessToken, refreshToken, ...}; fails the test unless 200. */
    public static Map<String, Object> tokens(String email, String password) {
        return login(email, password).then().statusCode(200).extract().as(Map.class);
    }

    public static String adminToken() {
        return (String) tokens(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken");
    }

    /** Creates a user with a unique email and returns {id, email, password}. */
    public static Map<String, String> newUser(String role) {
        String email = "u-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "pw-" + UUID.randomUUID();
        String id = as(TestTokens.admin())
                .body(Map.of("email", email, "password", password, "roles", Set.of(role), "active", true))
                .post("/api/users")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return Map.of("id", id, "email", email, "password", password);
    }
}
