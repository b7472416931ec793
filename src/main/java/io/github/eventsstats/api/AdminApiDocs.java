package io.github.eventsstats.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents the admin gate once: the bearer scheme, and the 401 and 404 answers of every operation
 * that declares {@code @SecurityRequirement(name = AdminOnly.SCHEME)} (what {@link AdminOnly}
 * endpoints carry next to it).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class AdminApiDocs implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(AdminOnly.SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("ADMIN_TOKEN; without it set, admin endpoints answer 404"));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().stream()
                .filter(AdminApiDocs::isAdmin)
                .forEach(op -> op.getResponses()
                        .addAPIResponse("401", problem("no bearer token, or not ADMIN_TOKEN"))
                        .addAPIResponse("404", problem("ADMIN_TOKEN is not set: the admin endpoints are off"))));
    }

    private static boolean isAdmin(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.hasScheme(AdminOnly.SCHEME));
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType("application/problem+json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
