package io.github.eventsstats.github;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The GitHub REST API's endpoints this service reads, as a Quarkus REST client interface (built by
 * {@link GitHubEventsClient} from GitHubConfig). Every answer is the raw body with every header,
 * whatever its status: the events are stream-parsed and archived byte for byte, and the headers
 * steer the pollers. A null {@code ifNoneMatch} sends no If-None-Match.
 *
 * <p>A new endpoint is one method here and one {@link GitHubRequest} that calls it.
 */
@Produces("application/vnd.github+json")
@ClientHeaderParam(name = "X-GitHub-Api-Version", value = "2022-11-28")
public interface GitHubApi {

    /** The public events feed. */
    @GET
    @Path("/events")
    Uni<RestResponse<byte[]>> events(@QueryParam("per_page") int perPage,
                                     @HeaderParam("If-None-Match") String ifNoneMatch);

    /** One repository's events feed. */
    @GET
    @Path("/repos/{owner}/{repo}/events")
    Uni<RestResponse<byte[]>> repoEvents(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                         @QueryParam("per_page") int perPage,
                                         @HeaderParam("If-None-Match") String ifNoneMatch);

    /** A page of one repository's pull requests. */
    @GET
    @Path("/repos/{owner}/{repo}/pulls")
    Uni<RestResponse<byte[]>> pulls(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                    @QueryParam("state") String state, @QueryParam("sort") String sort,
                                    @QueryParam("direction") String direction, @QueryParam("per_page") int perPage,
                                    @HeaderParam("If-None-Match") String ifNoneMatch);

    /** A page of one repository's issues (pull requests among them, marked {@code pull_request}). */
    @GET
    @Path("/repos/{owner}/{repo}/issues")
    Uni<RestResponse<byte[]>> issues(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                     @QueryParam("state") String state, @QueryParam("sort") String sort,
                                     @QueryParam("direction") String direction, @QueryParam("since") String since,
                                     @QueryParam("per_page") int perPage,
                                     @HeaderParam("If-None-Match") String ifNoneMatch);

    /** A page of the comments on one repository's issues and pull requests. */
    @GET
    @Path("/repos/{owner}/{repo}/issues/comments")
    Uni<RestResponse<byte[]>> issueComments(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                            @QueryParam("sort") String sort, @QueryParam("direction") String direction,
                                            @QueryParam("since") String since, @QueryParam("per_page") int perPage,
                                            @HeaderParam("If-None-Match") String ifNoneMatch);

    /** A page of the review comments on one repository's pull requests. */
    @GET
    @Path("/repos/{owner}/{repo}/pulls/comments")
    Uni<RestResponse<byte[]>> reviewComments(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                             @QueryParam("sort") String sort, @QueryParam("direction") String direction,
                                             @QueryParam("since") String since, @QueryParam("per_page") int perPage,
                                             @HeaderParam("If-None-Match") String ifNoneMatch);

    /** One user's profile. */
    @GET
    @Path("/users/{login}")
    Uni<RestResponse<byte[]>> user(@PathParam("login") String login, @HeaderParam("If-None-Match") String ifNoneMatch);

    /** One repository's profile. */
    @GET
    @Path("/repos/{owner}/{repo}")
    Uni<RestResponse<byte[]>> repository(@PathParam("owner") String owner, @PathParam("repo") String repo,
                                         @HeaderParam("If-None-Match") String ifNoneMatch);

    /** A page GitHub's Link header named, as given (absolute, query included). */
    @GET
    Uni<RestResponse<byte[]>> linked(@Url String url, @HeaderParam("If-None-Match") String ifNoneMatch);
}
