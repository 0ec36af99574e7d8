package dev.kindling.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.pipelines.KindlingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunLease} on a local root: exclusion, release, stale take-over and refreshes. */
class RunLeaseTest {

  private static final LocalDate DAY = LocalDate.of(2024, 1, 2);
  private static final Duration TTL = Duration.ofMinutes(5);

  @TempDir Path root;

  private RunLease acquire(String stage, LocalDate dt, Duration ttl) {
    return RunLease.acquire(location(stage, dt), new Configuration(), stage, dt, ttl);
  }

  private String location(String stage, LocalDate dt) {
    return root.toUri() + RunLease.relativePath(stage, dt);
  }

  private Path file(String stage, LocalDate dt) {
    return root.resolve(RunLease.relativePath(stage, dt));
  }

  @Test
  void aSecondRunOfTheSameStageAndDateFailsNamingTheHolder() {
    try (RunLease first = acquire("validate", DAY, TTL)) {
      assertThat(file("validate", DAY)).isRegularFile();
      assertThatThrownBy(() -> acquire("validate", DAY, TTL))
          .isInstanceOf(KindlingException.class)
          .hasMessageContaining("Another run of validate for 2024-01-02 is in progress")
          .hasMessageContaining("process " + ProcessHandle.current().pid())
          .hasMessageContaining(file("validate", DAY).toString());
      // Other dates and other stages are independent.
      try (RunLease otherDay = acquire("validate", DAY.plusDays(1), TTL);
          RunLease otherStage = acquire("features", DAY, TTL)) {
        assertThat(otherDay.runDate()).isEqualTo(DAY.plusDays(1));
        assertThat(otherStage.stage()).isEqualTo("features");
      }
    }
    assertThat(file("validate", DAY)).as("released on close").doesNotExist();
    try (RunLease again = acquire("validate", DAY, TTL)) {
      assertThat(again.stage()).isEqualTo("validate");
    }
  }

  @Test
  void aLeaseOfAProcessThatNoLongerRunsOnThisHostIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    writeLease(gone.pid(), Instant.now());
    try (RunLease lease = acquire("train", DAY, TTL)) {
      assertThat(Files.readString(file("train", DAY)))
          .as("the file now names this process")
          .contains("pid=" + ProcessHandle.current().pid());
    }
  }

  @Test
  void aLeaseNotRefreshedWithinTheTtlIsTakenOverEvenWhenItsProcessRuns() throws Exception {
    writeLease(ProcessHandle.current().pid(), Instant.now().minus(Duration.ofMinutes(10)));
    try (RunLease lease = acquire("train", DAY, TTL)) {
      assertThat(Files.readString(file("train", DAY))).doesNotContain("owner=someone-else");
    }
  }

  @Test
  void aFreshLeaseOfALiveProcessIsNotTakenOver() throws Exception {
    writeLease(ProcessHandle.current().pid(), Instant.now());
    assertThatThrownBy(() -> acquire("train", DAY, TTL))
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("Another run of train for 2024-01-02 is in progress");
    assertThat(Files.readString(file("train", DAY))).contains("owner=someone-else");
  }

  @Test
  void theHolderRefreshesItsLeaseSoALongRunIsNotTakenOver() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    try (RunLease lease = acquire("evaluate", DAY, ttl)) {
      FileTime created = Files.getLastModifiedTime(file("evaluate", DAY));
      Thread.sleep(3 * ttl.toMillis() / 2);
      assertThat(Files.getLastModifiedTime(file("evaluate", DAY))).isGreaterThan(created);
      assertThatThrownBy(() -> acquire("evaluate", DAY, ttl))
          .isInstanceOf(KindlingException.class)
          .hasMessageContaining("in progress");
    }
  }

  @Test
  void closingALeaseThatWasTakenOverFails() throws Exception {
    RunLease lease = acquire("publish", DAY, TTL);
    Files.delete(file("publish", DAY));
    writeLease(12345, Instant.now(), "publish");
    assertThatThrownBy(lease::close)
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("was taken over by process 12345")
        .hasMessageContaining("rerun publish --run-date 2024-01-02");
    assertThat(file("publish", DAY)).as("the other run's lease is left alone").isRegularFile();
  }

  private void writeLease(long pid, Instant refreshed) throws Exception {
    writeLease(pid, refreshed, "train");
  }

  private void writeLease(long pid, Instant refreshed, String stage) throws Exception {
    Path file = file(stage, DAY);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "owner=someone-else\nhost="
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\npid="
            + pid
            + "\nstarted=2024-01-02T00:00:00Z\n",
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(refreshed));
  }
}
