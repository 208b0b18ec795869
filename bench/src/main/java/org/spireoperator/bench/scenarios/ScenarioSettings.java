package org.spireoperator.bench.scenarios;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.spireoperator.bench.servers.SpireDatastore;

/**
 * How {@link ContenderScenario} runs each contender.
 *
 * @param liveResync this operator's resync period in the live and latency phases
 * @param idleResync its resync period for the idle phase (the process after the restart, or the
 *     live one when there is no restart and no latency phase); without an idle phase the restarted
 *     process keeps {@code liveResync} (a short period would add passes to its converge)
 * @param foreignEntries entries of others preloaded into SPIRE before the contender starts
 * @param spireEnv settings for {@code scripts/spire-server.sh} (e.g. {@code SPIRE_VERSION})
 * @param latency run the steady-rate latency phase
 * @param restart run the restart phase (SPIRE emptied, contender restarted), idle after it
 * @param idle run the idle phase (after the restart, or else on the live process)
 * @param jfrDir if set, this operator's live phase is recorded with JFR into this directory
 * @param countAtServer converge read from {@code CountEntries} polls (the runs up to git e289562)
 *     instead of the counting proxy; the scale run counts at the proxy either way
 */
public record ScenarioSettings(
    Path repoRoot,
    Path workRoot,
    Duration liveResync,
    Duration idleResync,
    int foreignEntries,
    Map<String, String> spireEnv,
    SpireDatastore datastore,
    boolean latency,
    boolean restart,
    boolean idle,
    Path jfrDir,
    boolean countAtServer) {

  public ScenarioSettings {
    spireEnv = Map.copyOf(spireEnv);
  }

  /** The resync period of the process started for the live phase. */
  Duration resyncOfLiveProcess() {
    return idle && !restart && !latency ? idleResync : liveResync;
  }

  /** The resync period of the process started for the restart phase. */
  Duration resyncOfRestartProcess() {
    return idle ? idleResync : liveResync;
  }

  /** The resync period of the process the idle phase watches. */
  Duration resyncOfIdleProcess() {
    return restart ? idleResync : resyncOfLiveProcess();
  }
}
