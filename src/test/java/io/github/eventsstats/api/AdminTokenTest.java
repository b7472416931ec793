package io.github.eventsstats.api;

import io.github.eventsstats.platform.CapturedLogs;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(ApiGuardsProfile.class)
class AdminTokenTest {

    @Inject
    FakeClock clock;

    /** Past any lockout and counting window an earlier test left. */
    @BeforeEach
    void aQuietMinuteLater() {
        clock.advance(Duration.ofMinutes(5));
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
    void aBurstOfWrongTokensLocksTheAdminEndpointsForAWhileAndIsLoggedOnceWithoutTheTokens() {
        List<String> logged;
        try (CapturedLogs logs = CapturedLogs.start()) {
            for (int i = 0; i < 5; i++) {
                given().header("Authorization", "Bearer guess-" + i).post("/admin/test-probe").then().statusCode(401);
            }
            for (int i = 5; i < 12; i++) {
                clock.advance(Duration.ofSeconds(1));
                given().header("Authorization", "Bearer guess-" + i).post("/admin/test-probe").then().statusCode(429)
                        .contentType("application/problem+json")
                        .body("detail", containsString("Too many wrong admin tokens"))
                        .body(not(containsString("guess-")));
            }
            // The right token is refused too: a guesser must not learn which guess was right.
            given().header("Authorization", "Bearer s3cret-admin-token").post("/admin/test-probe").then()
                    .statusCode(429).header("Retry-After", "83");

            clock.advance(Duration.ofSeconds(83));
            given().header("Authorization", "Bearer s3cret-admin-token").post("/admin/test-probe").then()
                    .statusCode(200);
            logged = logs.lines();
        }
        List<String> warnings = logged.stream().filter(l -> l.startsWith("WARN")).toList();
        assertEquals(1, warnings.size(), "one warning per burst: " + logged);
        assertTrue(warnings.getFirst().contains("5 wrong bearer tokens"), warnings.getFirst());
        assertTrue(logged.stream().anyMatch(l -> l.contains("8 requests were refused")), logged.toString());
        for (String line : logged) {
            assertFalse(line.contains("guess-") || line.contains("s3cret"), "a token in the log: " + line);
        }
    }

    @Test
    void wrongTokensSpreadOverMinutesNeverLock() {
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(20)); // 3 a minute, under 5
            given().header("Authorization", "Bearer slow-guess").post("/admin/test-probe").then().statusCode(401);
        }
        given().header("Authorization", "Bearer s3cret-admin-token").post("/admin/test-probe").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentMarksAdminOperationsWithTheBearerScheme() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.'admin-token'.scheme", equalTo("bearer"))
                .body("paths.'/admin/test-probe'.post.security[0].'admin-token'.size()", equalTo(0))
                .body("paths.'/admin/test-probe'.post.responses.'401'.description", containsString("ADMIN_TOKEN"));
    }

    @Test
    void theOpenApiDocumentListsEveryAnswerTheAdminOperationsGive() {
        JsonPath json = JsonPath.from(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        for (String op : List.of("'/admin/archive/sync'.post", "'/admin/jobs'.get", "'/admin/jobs/{id}'.get",
                "'/watch/{owner}/{repo}'.put", "'/watch/{owner}/{repo}'.delete")) {
            Map<String, Map<String, Object>> responses = json.getMap("paths." + op + ".responses");
            assertTrue(responses.keySet().containsAll(List.of("401", "404", "413", "414", "429")), op + ": " + responses.keySet());
            for (String status : List.of("401", "404", "413", "414", "429")) {
                assertEquals("#/components/schemas/Problem", json.getString("paths." + op + ".responses.'" + status
                        + "'.content.'application/problem+json'.schema.$ref"), op + " " + status);
            }
            assertEquals("integer", json.getString("paths." + op + ".responses.'429'.headers.'Retry-After'.schema.type"), op);
            assertEquals(!op.startsWith("'/admin/jobs"), responses.containsKey("400"), op + ": 400 iff parameters with rules");
        }
        assertEquals(List.of("202", "400", "401", "404", "409", "413", "414", "429"),
                json.getMap("paths.'/admin/archive/sync'.post.responses").keySet().stream().sorted().toList());
        // The operations' own 404s are kept beside the gate's.
        assertTrue(json.getString("paths.'/watch/{owner}/{repo}'.delete.responses.'404'.description")
                .matches("not watched; or ADMIN_TOKEN is not set.*"));
        assertTrue(json.getString("paths.'/admin/jobs/{id}'.get.responses.'404'.description")
                .startsWith("no such job"));
    }
}
