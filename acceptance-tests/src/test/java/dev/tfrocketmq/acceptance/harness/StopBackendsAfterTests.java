package dev.tfrocketmq.acceptance.harness;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the provider backends the tests started once the test run is over, so none outlives `make test`. */
public final class StopBackendsAfterTests implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Backends.stopAll();
    }
}
