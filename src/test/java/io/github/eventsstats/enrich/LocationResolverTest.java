package io.github.eventsstats.enrich;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real-looking profile locations and the country each one tells, or none. */
class LocationResolverTest {

    private static LocationResolver resolver;
    private static GeoData geo;

    @BeforeAll
    static void load() {
        geo = GeoData.load();
        resolver = new LocationResolver(geo);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            Berlin                        | DE
            San Francisco, CA             | US
            Earth                         | null
            🇧🇷                            | BR
            remote                        | null
            München, Germany              | DE
            Bangalore                     | IN
            Beijing, China                | CN
            London                        | GB
            Paris, France                 | FR
            Tokyo                         | JP
            São Paulo                     | BR
            Sao Paulo, Brazil             | BR
            USA                           | US
            UK                            | GB
            Deutschland                   | DE
            Seattle, WA                   | US
            Portland, OR                  | US
            Austin, Texas                 | US
            Atlanta, Georgia              | US
            Tbilisi, Georgia              | GE
            Toronto, ON                   | CA
            Toronto, Canada               | CA
            Berlin, DE                    | DE
            Tokyo, JP                     | JP
            Amsterdam, The Netherlands    | NL
            Shenzhen                      | CN
            Moscow                        | RU
            Warszawa                      | PL
            Zürich, Switzerland           | CH
            Hyderabad                     | IN
            Berlin Germany                | DE
            San Francisco Bay Area        | US
            New York                      | US
            NYC                           | US
            Cambridge                     | null
            Springfield                   | US
            Valencia                      | null
            Córdoba                       | AR
            Remote, Germany               | DE
            Planet Earth                  | null
            localhost                     | null
            127.0.0.1                     | null
            Worldwide                     | null
            https://example.com           | null
            Lagos, Nigeria                | NG
            Seoul, South Korea            | KR
            Hangzhou, Zhejiang, China     | CN
            ''                            | null
            """)
    void tellsTheCountryOrNone(String location, String country) {
        assertEquals(country, resolver.country(location));
    }

    @Test
    void nullAndBlankAreUnknown() {
        assertNull(resolver.country(null));
        assertNull(resolver.country("   "));
    }

    @Test
    void aFlagAnywhereIsItsCountry() {
        assertEquals("JP", resolver.country("somewhere 🇯🇵 (remote)"));
        assertEquals("DE", LocationResolver.flag("🇩🇪"));
    }

    @Test
    void readsEveryCityOfTheBuildTimeList() {
        assertTrue(geo.cityNames() > 100_000, "city names: " + geo.cityNames());
    }

    @Test
    void normalizesCaseAccentsAndDots() {
        assertEquals("sao paulo", LocationResolver.normalize("  São  Paulo "));
        assertEquals("usa", LocationResolver.normalize("U.S.A."));
        assertEquals("munchen", LocationResolver.normalize("MÜNCHEN"));
    }
}
