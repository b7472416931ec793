package io.github.eventsstats.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Number parameters are Java strings (see {@link WholeNumber}), so the document gets their
 * {@code @DefaultValue} as a string; their schema says integer, and so does this.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IntegerDefaults implements OASFilter {

    @Override
    public Parameter filterParameter(Parameter parameter) {
        Schema schema = parameter.getSchema();
        if (schema != null && schema.getType() != null && schema.getType().contains(Schema.SchemaType.INTEGER)
                && schema.getDefaultValue() instanceof String value) {
            schema.setDefaultValue(Long.parseLong(value));
        }
        return parameter;
    }
}
