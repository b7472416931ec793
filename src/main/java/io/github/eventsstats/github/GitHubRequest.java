package io.github.eventsstats.github;

import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.RestResponse;

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

    /** One repository's pull requests, newest first, open and closed, first page. */
    static GitHubRequest pulls(String repository, int perPage) {
        return new Pulls(repository, perPage);
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
            return api.pulls(owner(repository), name(repository), "all", "created", "desc", perPage, ifNoneMatch);
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
