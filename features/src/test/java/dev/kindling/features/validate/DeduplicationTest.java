package dev.kindling.features.validate;

import static dev.kindling.features.validate.ValidationFixtures.assertCountsAddUp;
import static dev.kindling.features.validate.ValidationFixtures.events;
import static dev.kindling.features.validate.ValidationFixtures.goodEvent;
import static dev.kindling.features.validate.ValidationFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.schema.EventsSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Duplicate {@code event_id}s: the first by {@code ts} wins, ties broken by the row's JSON. */
class DeduplicationTest {

  private static final String DUPLICATED = "dup";
  private static final long EARLY_WINNER_DWELL = 100L;
  private static final long EARLY_LOSER_DWELL = 200L;

  private static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Object> late = goodEvent(DUPLICATED);
    late.put(EventsSchema.TS, EventValidationCorpusTest.ts("2024-05-01T10:00:05Z"));
    late.put(EventsSchema.DWELL_MS, 1L);
    rows.add(late);
    Map<String, Object> earlyLoser = goodEvent(DUPLICATED);
    earlyLoser.put(EventsSchema.TS, EventValidationCorpusTest.ts("2024-05-01T10:00:01Z"));
    earlyLoser.put(EventsSchema.DWELL_MS, EARLY_LOSER_DWELL);
    rows.add(earlyLoser);
    Map<String, Object> earlyWinner = goodEvent(DUPLICATED);
    earlyWinner.put(EventsSchema.TS, EventValidationCorpusTest.ts("2024-05-01T10:00:01Z"));
    earlyWinner.put(EventsSchema.DWELL_MS, EARLY_WINNER_DWELL);
    rows.add(earlyWinner);
    Map<String, Object> brokenCopy = goodEvent(DUPLICATED);
    brokenCopy.put(EventsSchema.CLICKED, null);
    rows.add(brokenCopy);
    rows.add(goodEvent("other"));
    return rows;
  }

  @Test
  void firstByTsWinsAndTiesAreBrokenDeterministically() {
    List<Map<String, Object>> rows = rows();
    Dataset<Row> input = events(rows);
    EventValidationResult result = validate(input);

    List<Row> accepted =
        result.accepted().where(EventsSchema.EVENT_ID + " = '" + DUPLICATED + "'").collectAsList();
    assertThat(accepted).as("one row per event_id").hasSize(1);
    Row kept = accepted.get(0);
    assertThat(kept.getTimestamp(kept.fieldIndex(EventsSchema.TS)).toInstant())
        .as("earliest ts kept")
        .isEqualTo(Instant.parse("2024-05-01T10:00:01Z"));
    assertThat(kept.getLong(kept.fieldIndex(EventsSchema.DWELL_MS)))
        .as("tie on ts broken by the row's JSON")
        .isEqualTo(EARLY_WINNER_DWELL);
    assertThat(result.duplicates().count()).as("duplicates dropped").isEqualTo(2);
    assertThat(result.quarantined().count())
        .as("a broken copy is quarantined, not counted as a duplicate")
        .isEqualTo(1);
    assertCountsAddUp(result, input);

    List<Map<String, Object>> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    Dataset<Row> reversedInput = events(reversed).repartition(2);
    EventValidationResult again = validate(reversedInput);
    assertThat(EventValidationCorpusTest.sorted(again.accepted()))
        .as("accepted rows do not depend on input order")
        .isEqualTo(EventValidationCorpusTest.sorted(result.accepted()));
    assertThat(EventValidationCorpusTest.sorted(again.duplicates()))
        .as("duplicates do not depend on input order")
        .isEqualTo(EventValidationCorpusTest.sorted(result.duplicates()));
    assertCountsAddUp(again, reversedInput);
  }
}
