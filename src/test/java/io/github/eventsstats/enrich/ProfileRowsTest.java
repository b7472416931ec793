package io.github.eventsstats.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GitHub's profile answers as the rows stored, and what an error answer means for a profile. */
class ProfileRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocationResolver places;

    @BeforeAll
    static void load() {
        places = new LocationResolver(GeoData.load());
    }

    @Test
    void aUserBecomesARowWithItsCountryAndNullsAsEmpty() throws Exception {
        ObjectNode row = ProfileRows.actor("octocat", JSON.readTree("""
                {"login":"Octocat","id":583231,"name":null,"company":"@github ","blog":"","location":"San Francisco, CA",
                 "followers":21000,"public_repos":8,"created_at":"2011-01-25T18:44:36Z","extra":{"x":1}}"""), places);
        assertEquals("octocat", row.get("login").asText(), "the key asked for, not GitHub's spelling");
        assertEquals(583231, row.get("actor_id").asLong());
        assertEquals("", row.get("name").asText());
        assertEquals("@github", row.get("company").asText());
        assertEquals("US", row.get("country_code").asText());
        assertEquals(21000, row.get("followers").asLong());
        assertEquals("2011-01-25 18:44:36", row.get("created_at").asText());

        ObjectNode nowhere = ProfileRows.actor("x", JSON.readTree("{\"location\":\"Earth\",\"created_at\":\"soon\"}"), places);
        assertEquals("", nowhere.get("country_code").asText());
        assertTrue(nowhere.get("created_at").isNull());
    }

    @Test
    void aRepositoryBecomesARowWithTopicsLicenseAndArchived() throws Exception {
        ObjectNode row = ProfileRows.repository("o/r", JSON.readTree("""
                {"id":9,"description":"d","language":null,"topics":["a",3,"b"],"stargazers_count":5,"forks_count":-1,
                 "license":null,"archived":true,"created_at":"2020-02-02T02:02:02Z"}"""));
        assertEquals("", row.get("language").asText());
        assertEquals("[\"a\",\"b\"]", row.get("topics").toString());
        assertEquals(5, row.get("stars").asLong());
        assertEquals(0, row.get("forks").asLong(), "not a count: 0");
        assertEquals("", row.get("license").asText());
        assertEquals(1, row.get("archived").asInt());
        assertThrows(IllegalArgumentException.class, () -> ProfileRows.repository("o/r", JSON.readTree("[]")));
    }

    @Test
    void aStampedRowCarriesStatusETagAndTimes() {
        ObjectNode row = ProfileRows.stamped(ProfileRows.without(Kind.REPOSITORY, "o/r"), ProfileStatus.NOT_FOUND, null,
                null, Instant.parse("2026-12-02T01:02:03.004Z"));
        assertEquals("{\"repo_name\":\"o/r\",\"status\":\"not_found\",\"etag\":\"\",\"fetched_at\":\"1970-01-01 00:00:00.000\","
                + "\"checked_at\":\"2026-12-02 01:02:03.004\"}", row.toString());
    }

    @Test
    void errorAnswersThatTellALastingStateAndThoseThatDoNot() {
        assertEquals(Optional.of(ProfileStatus.NOT_FOUND), ProfileStatus.ofError(404, false));
        assertEquals(Optional.of(ProfileStatus.NOT_FOUND), ProfileStatus.ofError(410, false));
        assertEquals(Optional.of(ProfileStatus.MOVED), ProfileStatus.ofError(301, false));
        assertEquals(Optional.of(ProfileStatus.UNAVAILABLE), ProfileStatus.ofError(451, false));
        assertEquals(Optional.of(ProfileStatus.UNAVAILABLE), ProfileStatus.ofError(403, false));
        assertEquals(Optional.empty(), ProfileStatus.ofError(403, true), "a rate limit is no state of the profile");
        assertEquals(Optional.empty(), ProfileStatus.ofError(502, false));
    }

    @Test
    void enrichmentIsOnByDefaultOnlyWithAToken() {
        assertTrue(config(Optional.empty()).on(Optional.of("ghp_x")));
        assertEquals(false, config(Optional.empty()).on(Optional.empty()));
        assertEquals(false, config(Optional.empty()).on(Optional.of(" ")));
        assertTrue(config(Optional.of(true)).on(Optional.empty()));
        assertEquals(false, config(Optional.of(false)).on(Optional.of("ghp_x")));
    }

    private static EnrichConfig config(Optional<Boolean> enabled) {
        return new EnrichConfig() {
            public Optional<Boolean> enabled() {
                return enabled;
            }

            public java.time.Duration ttl() {
                return java.time.Duration.ofHours(24);
            }

            public java.time.Duration interval() {
                return java.time.Duration.ofMinutes(1);
            }

            public int batch() {
                return 50;
            }

            public java.time.Duration lookback() {
                return java.time.Duration.ofHours(24);
            }

            public java.time.Duration failureRetry() {
                return java.time.Duration.ofHours(1);
            }
        };
    }
}
