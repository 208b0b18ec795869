package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How many write batches go to SPIRE at once: every writer while they write faster than one, one
 * where the server serializes writes (sqlite), measured only while the queue keeps the writers
 * busy.
 */
class WriteConcurrencyTest {

  private static final int BATCH = 50;

  private final WriteConcurrency concurrency = new WriteConcurrency(2);
  private long now;

  /** One epoch of full batches, one after the other, at {@code entriesPerSecond}. */
  private Optional<WriteConcurrency.Change> epoch(double entriesPerSecond) {
    Optional<WriteConcurrency.Change> last = Optional.empty();
    long batchNanos = Math.round(BATCH * 1e9 / entriesPerSecond);
    for (int i = 0; i < WriteConcurrency.EPOCH_BATCHES; i++) {
      long start = now;
      now += batchNanos;
      last = concurrency.ended(concurrency.generation(), true, BATCH, start, now);
    }
    return last;
  }

  @Test
  void startsWithEveryWriter() {
    assertThat(concurrency.limit()).isEqualTo(2);
  }

  @Test
  void measuresOneWriterAfterAnEpochOfEveryWriter() {
    epoch(1000);

    assertThat(concurrency.limit()).isEqualTo(1);
  }

  @Test
  void writesOneBatchAtATimeWhereMoreInFlightWriteNoFaster() {
    epoch(500);

    assertThat(epoch(520)).contains(new WriteConcurrency.Change(1, 500, 520));
  }

  @Test
  void keepsEveryWriterWhereTheyWriteFaster() {
    epoch(1100);
    epoch(1000);

    assertThat(concurrency.limit()).isEqualTo(2);
  }

  @Test
  void aFewPercentFasterDoesNotEarnMoreWritersTheirLoadOnTheServer() {
    epoch(1030);
    epoch(1000);

    assertThat(concurrency.limit()).isEqualTo(1);
  }

  @Test
  void measuresBothAgainAfterKeepingTheChoiceForAWhile() {
    epoch(500);
    epoch(520);
    for (int i = 0; i < WriteConcurrency.KEEP_EPOCHS; i++) {
      epoch(520);
    }

    assertThat(concurrency.limit()).isEqualTo(2);
  }

  @Test
  void followsAServerThatBecomesFasterSideBySide() {
    epoch(500);
    epoch(520);
    for (int i = 0; i < WriteConcurrency.KEEP_EPOCHS; i++) {
      epoch(520);
    }

    epoch(900);

    assertThat(epoch(520)).contains(new WriteConcurrency.Change(2, 900, 520));
  }

  @Test
  void aBatchThatDidNotFillStartsTheEpochAgain() {
    for (int i = 0; i < WriteConcurrency.EPOCH_BATCHES - 1; i++) {
      concurrency.ended(concurrency.generation(), true, BATCH, now, now += 50_000_000);
    }
    concurrency.ended(concurrency.generation(), false, 3, now, now += 1_000_000);
    concurrency.ended(concurrency.generation(), true, BATCH, now, now += 50_000_000);

    assertThat(concurrency.limit()).isEqualTo(2);
  }

  @Test
  void aBatchBegunUnderAnEarlierSettingMeasuresNothing() {
    int before = concurrency.generation();
    epoch(1000);
    for (int i = 0; i < WriteConcurrency.EPOCH_BATCHES; i++) {
      concurrency.ended(before, true, BATCH, now, now += 1_000_000);
    }

    assertThat(concurrency.limit()).isEqualTo(1);
  }

  @Test
  void aSingleWriterHasNothingToChoose() {
    WriteConcurrency one = new WriteConcurrency(1);
    for (int i = 0; i < 3 * WriteConcurrency.EPOCH_BATCHES; i++) {
      one.ended(one.generation(), true, BATCH, now, now += 1_000_000);
    }

    assertThat(one.limit()).isEqualTo(1);
  }
}
