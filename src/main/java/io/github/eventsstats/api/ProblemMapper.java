package io.github.eventsstats.api;

import com.clickhouse.client.api.ServerException;
import io.github.eventsstats.platform.Printable;
import io.github.eventsstats.clickhouse.ClickHouseOverloadedException;
import io.github.eventsstats.clickhouse.ClickHouseUnavailableException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The one place errors become answers: RFC 9457 problem+json, a useful detail, never a stack
 * trace. Whatever ClickHouse did wrong is the service's to report as 503, with the cause logged.
 */
public class ProblemMapper {

    /** Room in the order for a bean parameter's fields, after the parameter itself. */
    private static final int FIELDS = 1000;
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** ClickHouse's error code for a query stopped at its max_execution_time. */
    private static final int TIMEOUT_EXCEEDED = 159;

    @ServerExceptionMapper
    public RestResponse<Problem> badParameter(BadParameterException e, UriInfo uri) {
        return problem(Response.Status.BAD_REQUEST, e.getMessage(), uri.getPath(), e.parameter());
    }

    /**
     * The Bean Validation rules on the resource method's parameters, or on the fields of a
     * {@code @BeanParam} one: the first at fault, in the method's order and then the fields', as
     * {@link #badParameter} answers. Any other violation is a bug: 500.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> constraintViolation(ConstraintViolationException e, UriInfo uri,
                                                     ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        return e.getConstraintViolations().stream()
                .map(v -> site(v, method))
                .filter(Objects::nonNull)
                .min(Comparator.comparingInt(Site::order)
                        .thenComparing(at -> Params.isBound(at.violation().getConstraintDescriptor().getAnnotation())))
                .map(at -> badParameter(Params.broken(at.element(), at.violation()), uri))
                .orElseGet(() -> unexpected(e, uri));
    }

    /** A violation, the parameter or bean-parameter field it names, and that one's place in the method's order. */
    private record Site(ConstraintViolation<?> violation, AnnotatedElement element, int order) {
    }

    /** Where in {@code method} a violation sits; null for any other violation. */
    private static Site site(ConstraintViolation<?> violation, Method method) {
        Iterator<Path.Node> nodes = violation.getPropertyPath().iterator();
        if (method == null || !nodes.hasNext() || !nodes.next().getName().equals(method.getName())) {
            return null;
        }
        Path.Node node = nodes.hasNext() ? nodes.next() : null;
        if (node == null || node.getKind() != ElementKind.PARAMETER) {
            return null;
        }
        int index = node.as(Path.ParameterNode.class).getParameterIndex();
        Parameter parameter = method.getParameters()[index];
        Path.Node property = nodes.hasNext() ? nodes.next() : null;
        if (property == null) {
            return new Site(violation, parameter, index * FIELDS);
        }
        List<Field> fields = List.of(parameter.getType().getDeclaredFields());
        return fields.stream().filter(f -> f.getName().equals(property.getName())).findFirst()
                .map(f -> new Site(violation, f, index * FIELDS + 1 + fields.indexOf(f)))
                .orElse(null);
    }

    @ServerExceptionMapper(ClickHouseUnavailableException.class)
    public RestResponse<Problem> unavailable(RuntimeException e, UriInfo uri) {
        // Not a warning per request: readiness and the 503 counts in /q/metrics already tell an outage.
        LOG.debugf("%s: ClickHouse unavailable: %s", uri.getPath(), e.getMessage());
        return problem(Response.Status.SERVICE_UNAVAILABLE,
                "ClickHouse is not reachable right now; try again shortly", uri.getPath(), null);
    }

    /** The API's share of ClickHouse is taken: say so at once, and when to come back. */
    @ServerExceptionMapper
    public RestResponse<Problem> overloaded(ClickHouseOverloadedException e, UriInfo uri) {
        LOG.debugf("%s: %s", uri.getPath(), e.getMessage());
        return RestResponse.ResponseBuilder.fromResponse(problem(Response.Status.SERVICE_UNAVAILABLE,
                "The service is answering as many queries as it can: " + e.getMessage() + "; try again shortly",
                uri.getPath(), null)).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> engineError(ServerException e, UriInfo uri) {
        if (e.getCode() == TIMEOUT_EXCEEDED) {
            LOG.debugf("%s: ClickHouse cancelled a query at API_QUERY_TIMEOUT: %s", Printable.of(uri.getPath()),
                    Printable.of(e.getMessage()));
            return problem(Response.Status.SERVICE_UNAVAILABLE,
                    "The query took longer than the service allows (API_QUERY_TIMEOUT) and was cancelled; try again"
                            + " later or ask for a shorter window", uri.getPath(), null);
        }
        LOG.errorf("%s: ClickHouse failed (code %d): %s", Printable.of(uri.getPath()), e.getCode(),
                Printable.of(e.getMessage(), 2000));
        return problem(Response.Status.SERVICE_UNAVAILABLE,
                "ClickHouse could not answer (error code " + e.getCode() + "); try again shortly", uri.getPath(), null);
    }

    /**
     * 404 for unknown routes, 405 for wrong methods (with Allow, RFC 9110), 406 for an Accept header no answer
     * meets, and the like from JAX-RS itself. The detail is ours: the REST layer's own messages name
     * its annotations ("did not match the value in @Produces").
     */
    @ServerExceptionMapper
    public RestResponse<Problem> http(WebApplicationException e, UriInfo uri, Request request, HttpHeaders headers) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String path = uri.getPath();
        String detail = switch (status.getStatusCode()) {
            case 404 -> "No resource at " + path + "; see /q/swagger-ui";
            case 405 -> request.getMethod() + " is not allowed on " + path + "; /q/swagger-ui lists the methods"
                    + " each path answers";
            case 406 -> "No answer of " + path + " is of a type the Accept header allows (it says \""
                    + Printable.of(headers.getHeaderString(HttpHeaders.ACCEPT), 100) + "\"); this API answers"
                    + " application/json, and its errors application/problem+json";
            case 415 -> "The request's body is of a type " + path + " does not read";
            default -> status.getStatusCode() < 500 ? "The request cannot be answered: " + status.getReasonPhrase()
                    : "Unexpected failure; it has been logged";
        };
        RestResponse<Problem> answer = problem(status, detail, path, null);
        if (status.getStatusCode() == 405) {
            String allow = AllowedMethods.of(uri.getPath());
            if (!allow.isEmpty()) {
                return RestResponse.ResponseBuilder.fromResponse(answer).header(HttpHeaders.ALLOW, allow).build();
            }
        }
        return answer;
    }

    @ServerExceptionMapper(priority = Integer.MAX_VALUE)
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "%s: unexpected failure", Printable.of(uri.getPath()));
        return problem(Response.Status.INTERNAL_SERVER_ERROR, "Unexpected failure; it has been logged",
                uri.getPath(), null);
    }

    /** A 404 of a resource that does not exist, such as a profile or a job never stored. */
    static Response notFound(String detail, String path) {
        return problem(Response.Status.NOT_FOUND, detail, path, null).toResponse();
    }

    static RestResponse<Problem> problem(Response.StatusType status, String detail, String instance, String parameter) {
        Problem body = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, instance,
                parameter);
        return RestResponse.ResponseBuilder.<Problem>create(status).entity(body).type(Problem.MEDIA_TYPE).build();
    }
}
