package dev.sluice.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The app's files are served without a token, with a policy that allows only this origin's scripts. */
@QuarkusTest
class WebAppTests {

    @Test
    void theAppShellIsServedAtTheRootWithAScriptPolicy() {
        given().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("/assets/js/main.js"));
    }

    @Test
    void modulesAndStylesAreServedAsTheirTypes() {
        given().get("/assets/js/main.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/assets/js/pages/import.js").then().statusCode(200).body(containsString("uploadFile"));
        given().get("/assets/app.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void theApiStillNeedsAToken() {
        given().get("/api/products").then().statusCode(401);
    }
}
