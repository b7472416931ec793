package io.github.eventsstats.enrich;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells the ISO 3166-1 alpha-2 country of a GitHub profile's free-text location, offline, from
 * {@link GeoData} (GeoNames-derived lists fetched at build time plus a small hand-kept alias file),
 * or null when it cannot be told. Wrong is worse than unknown: a bare city name counts only when
 * one country's place of that name clearly dominates by population.
 *
 * <p>Evidence, strongest first: a flag emoji; a country's name, native name or alias as one
 * comma-separated part; a two-letter code as a later part ("San Francisco, CA": a US state code;
 * "Tokyo, JP": a country code); a US state's name; a city (first part first); and last, names
 * found inside a part without commas ("Berlin Germany", "San Francisco Bay Area").
 */
public final class LocationResolver {

    /** A city needs this many people to stand alone as evidence (below it, words collide with villages). */
    static final long MIN_CITY_POPULATION = 15_000;
    /** A city found inside longer text needs more: the text around it may be anything. */
    static final long MIN_EMBEDDED_CITY_POPULATION = 100_000;
    /** The most populous country for a city name must have this many times the runner-up's people. */
    static final int DOMINANCE = 2;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern PARTS = Pattern.compile("[,;/|()·•\\n\\r\\t]+|\\s[-–—]\\s");
    private static final Pattern CODE = Pattern.compile("[A-Z]{2}");
    private static final int MAX_NGRAM = 4;

    private final GeoData geo;

    public LocationResolver(GeoData geo) {
        this.geo = geo;
    }

    /** The country code, or null when the location says none (or none for certain). */
    public String country(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String flag = flag(location);
        if (flag != null) {
            return flag;
        }
        if (geo.noPlace(normalize(location))) {
            return null;
        }
        List<Part> parts = new ArrayList<>();
        for (String raw : PARTS.split(location)) {
            String text = normalize(raw);
            if (!text.isEmpty() && !geo.noPlace(text)) {
                parts.add(new Part(raw.strip(), text));
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        String named = byCountryName(parts);
        if (named != null) {
            return named;
        }
        String coded = byCode(parts);
        if (coded != null) {
            return coded;
        }
        for (Part p : parts) {
            if (geo.stateName(p.text) != null) {
                return "US";
            }
        }
        for (Part p : parts) {
            String city = city(p.text, MIN_CITY_POPULATION);
            if (city != null) {
                return city;
            }
        }
        return embedded(parts);
    }

    private record Part(String raw, String text) {
    }

    /** The last part that names a country; "Atlanta, Georgia" is the state when a US city comes with it. */
    private String byCountryName(List<Part> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            String code = geo.countryByName(parts.get(i).text);
            if (code == null) {
                continue;
            }
            if (geo.stateName(parts.get(i).text) != null && otherPartIsCityIn(parts, i, "US", null)) {
                return "US";
            }
            return code;
        }
        return null;
    }

    /** A later part of two capitals: a US state code where the city fits, else a country code. */
    private String byCode(List<Part> parts) {
        for (int i = parts.size() - 1; i >= 1; i--) {
            String raw = parts.get(i).raw;
            if (!CODE.matcher(raw).matches()) {
                continue;
            }
            boolean state = geo.isStateCode(raw);
            boolean country = geo.isCountry(raw);
            if (state && otherPartIsCityIn(parts, i, "US", raw)) {
                return "US";
            }
            if (country && otherPartIsCityIn(parts, i, raw, null)) {
                return raw;
            }
            if (state) {
                return "US";
            }
            if (country) {
                return raw;
            }
        }
        return null;
    }

    private boolean otherPartIsCityIn(List<Part> parts, int except, String country, String admin) {
        for (int i = 0; i < parts.size(); i++) {
            if (i != except && geo.hasCity(parts.get(i).text, country, admin)) {
                return true;
            }
        }
        return false;
    }

    /** The country of a city name: a hand-kept exonym, or the clearly dominant GeoNames place. */
    private String city(String text, long minPopulation) {
        String alias = geo.cityAlias(text);
        if (alias != null) {
            return alias;
        }
        Map<String, Long> byCountry = geo.cityPopulations(text);
        String best = null;
        long first = 0;
        long second = 0;
        for (Map.Entry<String, Long> e : byCountry.entrySet()) {
            if (e.getValue() > first) {
                second = first;
                first = e.getValue();
                best = e.getKey();
            } else if (e.getValue() > second) {
                second = e.getValue();
            }
        }
        if (best == null || first < minPopulation || first < (long) DOMINANCE * second) {
            return null;
        }
        return best;
    }

    /** Countries, then big cities, named by a run of words inside a part; longest runs first. */
    private String embedded(List<Part> parts) {
        Set<String> found = new HashSet<>();
        for (boolean countries : new boolean[] {true, false}) {
            for (Part p : parts) {
                String[] words = p.text.split(" ");
                for (int n = Math.min(MAX_NGRAM, words.length); n >= 1; n--) {
                    for (int start = 0; start + n <= words.length; start++) {
                        String run = String.join(" ", java.util.Arrays.copyOfRange(words, start, start + n));
                        if (run.length() < 4) {
                            continue;
                        }
                        String code = countries ? geo.countryByName(run) : city(run, MIN_EMBEDDED_CITY_POPULATION);
                        if (code != null) {
                            found.add(code);
                        }
                    }
                }
            }
            if (!found.isEmpty()) {
                return found.size() == 1 ? found.iterator().next() : null;
            }
        }
        return null;
    }

    /** Two regional indicator symbols are a flag: their letters are its country's code. */
    static String flag(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i + 1 < cps.length; i++) {
            if (indicator(cps[i]) && indicator(cps[i + 1])) {
                return "" + (char) ('A' + cps[i] - 0x1F1E6) + (char) ('A' + cps[i + 1] - 0x1F1E6);
            }
        }
        return null;
    }

    private static boolean indicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    /**
     * Lower case without accents, dots dropped ("U.S.A." is "usa", "St. Louis" is "st louis"),
     * anything else that is no letter or digit a single space.
     */
    public static String normalize(String s) {
        String folded = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT).replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace(".", "")
                .replace("'", "").replace("’", "");
        return NOT_WORD.matcher(folded).replaceAll(" ").strip();
    }
}
