package io.github.eventsstats.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem, the body of every error answer ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "always about:blank: the status says what happened", examples = "about:blank")
        String type,
        @Schema(description = "the HTTP status phrase", examples = "Bad Request")
        String title,
        @Schema(examples = "400")
        int status,
        @Schema(description = "what went wrong, for a person", examples = "offset must be from 1 to 525600; got \"0\"")
        String detail,
        @Schema(description = "the request path", examples = "/metrics/events")
        String instance,
        @Schema(description = "the request parameter at fault (400 only)", examples = "offset")
        String parameter) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
