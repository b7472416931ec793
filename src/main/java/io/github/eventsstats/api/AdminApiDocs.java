package io.github.eventsstats.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents the admin gate once: the bearer scheme, and the answers every operation that declares
 * {@code @SecurityRequirement(name = AdminOnly.SCHEME)} (what {@link AdminOnly} endpoints carry next
 * to it) can give before it runs: 400 for parameters with rules, 401, 404 while admin is off, 413 and 414
 * ({@link RequestGate}), and 429 with Retry-After during a lockout ({@link TokenFailures}).
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
                .forEach(AdminApiDocs::addGateAnswers));
    }

    /** What the gate (AdminTokenFilter) and the request gate (RequestGate) answer before the operation runs. */
    private static void addGateAnswers(Operation op) {
        APIResponses responses = op.getResponses();
        if (hasRules(op) && !responses.hasAPIResponse("400")) {
            responses.addAPIResponse("400", ProblemResponses.problem("a parameter breaks its rules; `parameter` names it"));
        }
        responses.addAPIResponse("401", ProblemResponses.problem("no bearer token, or not ADMIN_TOKEN")
                .addHeader("WWW-Authenticate", header("Bearer realm=\"admin\"", Schema.SchemaType.STRING)));
        // An operation's own 404 (no such job, not watched) stays, with the gate's beside it.
        APIResponse own = responses.getAPIResponse("404");
        String off = "ADMIN_TOKEN is not set: the admin endpoints are off";
        responses.addAPIResponse("404", own == null ? ProblemResponses.problem(off)
                : own.description(own.getDescription() + "; or " + off));
        responses.addAPIResponse("413", ProblemResponses.problem("the request's body, declared or chunked, is larger"
                + " than 64 KiB (no admin operation reads a body); the connection is closed"));
        responses.addAPIResponse("414", ProblemResponses.problem("the request's URL is longer than 4096 characters"));
        responses.addAPIResponse("429", ProblemResponses.problem("more than ADMIN_TOKEN_FAILURES wrong tokens within a"
                        + " minute locked the admin endpoints for ADMIN_LOCKOUT: every admin request is refused, the right"
                        + " token too, until the lockout ends")
                .addHeader("Retry-After", header("seconds until the lockout ends", Schema.SchemaType.INTEGER)));
    }

    /** A parameter with a pattern or bounds, which a request can break (400 from the validation). */
    private static boolean hasRules(Operation op) {
        return op.getParameters() != null && op.getParameters().stream().map(p -> p.getSchema()).anyMatch(schema ->
                schema != null && (schema.getPattern() != null || schema.getMinimum() != null
                        || schema.getMaximum() != null));
    }

    private static Header header(String description, Schema.SchemaType type) {
        return OASFactory.createHeader().description(description).schema(OASFactory.createSchema().addType(type));
    }

    private static boolean isAdmin(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.hasScheme(AdminOnly.SCHEME));
    }
}
