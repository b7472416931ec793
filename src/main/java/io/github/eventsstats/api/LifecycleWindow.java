package io.github.eventsstats.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The window every lifecycle question takes ({@code /metrics/pull-requests}, {@code /issues},
 * {@code /compare}): declared and validated once. {@link ProblemMapper} names a field at fault by its
 * query parameter, as it does for a method's own parameters.
 */
public class LifecycleWindow {

    @Parameter(description = ApiDocs.ITEM_DAYS, schema = @Schema(type = SchemaType.INTEGER))
    @QueryParam("days") @DefaultValue("90") @WholeNumber @Min(1) @Max(MetricsResource.MAX_DAYS)
    String days;

    @Parameter(description = ApiDocs.INCLUDE_BOTS, schema = @Schema(type = SchemaType.BOOLEAN))
    @QueryParam("include_bots") @DefaultValue("false")
    @Pattern(regexp = MetricsResource.BOOLEAN, message = MetricsResource.BOOLEAN_RULE)
    String includeBots;

    int days() {
        return Integer.parseInt(days);
    }

    boolean includeBots() {
        return Boolean.parseBoolean(includeBots);
    }
}
