package io.github.eventsstats.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The default test configuration has no ADMIN_TOKEN. */
@QuarkusTest
class AdminOffTest {

    @Test
    void withoutAdminTokenAdminEndpointsAnswer404EvenWithAToken() {
        given().header("Authorization", "Bearer anything").post("/admin/test-probe")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("ADMIN_TOKEN"));
    }
}
