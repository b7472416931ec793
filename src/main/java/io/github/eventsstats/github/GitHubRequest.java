package io.github.eventsstats.github;

import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One GET of the GitHub API, as a value the pollers hold and compare: an endpoint's first page, or
 * a page GitHub's Link header named. {@link GitHubEventsClient#fetch} sends it. A repository is
 * {@code owner/repo}, a GitHub-valid name; path parameters are escaped by the client.
 */
public sealed interface GitHubRequest {

    /** Sends this request through the typed client; a null {@code ifNoneMatch} sends none. */
    Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch);

    /** The public events feed's first page. */
    static GitHubRequest events(int perPage) {
        return new Events(perPage);
    }

    /** One repository's events, first page. */
    static GitHubRequest repoEvents(String repository, int perPage) {
        return new RepoEvents(repository, perPage);
    }

    /**
     * One repository's pull requests, open and closed, the most recently updated first (a PR
     * merged or closed since the last pass comes first, however old), first page.
     */
    static GitHubRequest pulls(String repository, int perPage) {
        return new Pulls(repository, perPage);
    }

    /**
     * One repository's issues (its pull requests among them), open and closed, the most recently
     * updated first; only those updated at or after {@code since} when it is not null.
     */
    static GitHubRequest issues(String repository, Instant since, int perPage) {
        return new Issues(repository, since, perPage);
    }

    /** The comments on one repository's issues and PRs, the most recently updated first, from {@code since} (null: all). */
    static GitHubRequest issueComments(String repository, Instant since, int perPage) {
        return new IssueComments(repository, since, perPage);
    }

    /** The review comments on one repository's PRs, the most recently updated first, from {@code since} (null: all). */
    static GitHubRequest reviewComments(String repository, Instant since, int perPage) {
        return new ReviewComments(repository, since, perPage);
    }

    /** One user's profile; a login may end in [bot]. */
    static GitHubRequest user(String login) {
        return new User(login);
    }

    /** One repository's profile. */
    static GitHubRequest repository(String repository) {
        return new Repository(repository);
    }

    /** A page a Link header named; sent only if it lies under GITHUB_API_URL. */
    static GitHubRequest link(String url) {
        return new Link(url);
    }

    record Events(int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.events(perPage, ifNoneMatch);
        }
    }

    record RepoEvents(String repository, int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.repoEvents(owner(repository), name(repository), perPage, ifNoneMatch);
        }
    }

    record Pulls(String repository, int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.pulls(owner(repository), name(repository), "all", "updated", "desc", perPage, ifNoneMatch);
        }
    }

    record Issues(String repository, Instant since, int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.issues(owner(repository), name(repository), "all", "updated", "desc", text(since), perPage,
                    ifNoneMatch);
        }
    }

    record IssueComments(String repository, Instant since, int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.issueComments(owner(repository), name(repository), "updated", "desc", text(since), perPage,
                    ifNoneMatch);
        }
    }

    record ReviewComments(String repository, Instant since, int perPage) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.reviewComments(owner(repository), name(repository), "updated", "desc", text(since), perPage,
                    ifNoneMatch);
        }
    }

    record User(String login) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.user(login, ifNoneMatch);
        }
    }

    record Repository(String repository) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.repository(owner(repository), name(repository), ifNoneMatch);
        }
    }

    record Link(String url) implements GitHubRequest {
        @Override
        public Uni<RestResponse<byte[]>> send(GitHubApi api, String ifNoneMatch) {
            return api.linked(url, ifNoneMatch);
        }
    }

    /** GitHub's since: ISO 8601 UTC, to the second; null sends none. */
    private static String text(Instant since) {
        return since == null ? null : since.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String owner(String repository) {
        return repository.substring(0, slash(repository));
    }

    private static String name(String repository) {
        return repository.substring(slash(repository) + 1);
    }

    private static int slash(String repository) {
        int slash = repository.indexOf('/');
        if (slash <= 0 || slash == repository.length() - 1) {
            throw new IllegalArgumentException("not owner/repo: " + repository);
        }
        return slash;
    }
}
