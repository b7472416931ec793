package io.github.eventsstats.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error answers {@link ProblemMapper} gives, on every operation of this API, so that
 * no endpoint repeats them: 400 where there are parameters to get wrong, 500 and 503 everywhere.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/metrics/") || path.startsWith("/debug/") || path.startsWith("/actors/")
                    || path.startsWith("/repositories/")) {
                item.getOperations().values().forEach(ProblemResponses::addProblems);
            }
        });
    }

    private static void addProblems(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
            responses.addAPIResponse("400", problem("a parameter breaks its rules; `parameter` names it"));
        }
        responses.addAPIResponse("500", problem("an unexpected failure, logged by the service"));
        responses.addAPIResponse("503", problem("ClickHouse is unreachable or failed, or the service is answering as"
                + " many queries as it can (then with Retry-After); retry later"));
    }

    static org.eclipse.microprofile.openapi.models.responses.APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
