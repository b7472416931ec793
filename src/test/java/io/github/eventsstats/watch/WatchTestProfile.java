package io.github.eventsstats.watch;

import io.github.eventsstats.poller.PollerTestProfile;

import java.util.HashMap;
import java.util.Map;

/** The poller's test profile, with an admin token, a watch file of its own and one configured repository. */
public class WatchTestProfile extends PollerTestProfile {

    static final String ADMIN = "watch-admin-token";
    static final String CONFIGURED = "cfg-org/configured";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("admin.token", ADMIN);
        config.put("watch.file", "target/watch-test/watched-repositories.json");
        config.put("watch.repositories", CONFIGURED);
        config.put("poller.state-file", "target/watch-test/client-state.json");
        config.put("save.events-to-files", "false");
        // 3 pages of 100 PRs a tick: a first load of more spans ticks (and restarts).
        config.put("watch.pulls-pages-per-tick", "3");
        // A small on-demand queue, so that a test can fill it.
        config.put("on-demand.max-queued", "4");
        return config;
    }
}
