package io.github.eventsstats.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@TestProfile(AdminTokenTest.WithToken.class)
class AdminTokenTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("admin.token", "s3cret-admin-token");
        }
    }

    @Test
    void theRightBearerTokenGoesThrough() {
        given().header("Authorization", "Bearer s3cret-admin-token").post("/admin/test-probe")
                .then().statusCode(200).body(equalTo("through"));
        given().header("Authorization", "bearer s3cret-admin-token").post("/admin/test-probe")
                .then().statusCode(200);
    }

    @Test
    void aWrongTokenIsA401ProblemThatNeverEchoesTheToken() {
        given().header("Authorization", "Bearer s3cret-admin-tokeX").post("/admin/test-probe")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", equalTo("the bearer token is not ADMIN_TOKEN"))
                .body(not(containsString("tokeX")));
    }

    @Test
    void noTokenOrAnotherSchemeIsA401() {
        given().post("/admin/test-probe").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Basic czNjcmV0").post("/admin/test-probe").then().statusCode(401);
    }

    @Test
    void theOpenApiDocumentMarksAdminOperationsWithTheBearerScheme() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.'admin-token'.scheme", equalTo("bearer"))
                .body("paths.'/admin/test-probe'.post.security[0].'admin-token'.size()", equalTo(0))
                .body("paths.'/admin/test-probe'.post.responses.'401'.description", containsString("ADMIN_TOKEN"));
    }
}
