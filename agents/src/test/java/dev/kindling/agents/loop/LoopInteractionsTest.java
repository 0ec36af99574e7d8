package dev.kindling.agents.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.agents.replay.EncoderReplay;
import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.Scenario;
import dev.kindling.agents.sim.ServedRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopInteractions} gives the serving policy, for a request of the closed loop, the same
 * interactions the replay's encoder columns of that request are built from ({@link
 * EncoderReplay#before}) when the earlier days' impressions come from the logs and the day's from
 * the simulator.
 */
class LoopInteractionsTest {

  private static final String USER = "u7";
  private static final long SLOT_GAP = 150L;

  @Test
  void theInteractionsBeforeARequestAreTheReplaysOfTheSameImpressions() {
    Random random = new Random(3L);
    List<Row> logged = new ArrayList<>();
    List<Long> ts = new ArrayList<>();
    List<String> items = new ArrayList<>();
    List<Boolean> clicked = new ArrayList<>();
    List<Boolean> completed = new ArrayList<>();
    long day1 = Instant.parse("2024-01-06T09:00:00Z").toEpochMilli();
    long day2 = Instant.parse("2024-01-07T21:30:00Z").toEpochMilli();
    for (long start : new long[] {day1, day2}) {
      for (int p = 0; p < 5; p++) {
        long at = start + p * SLOT_GAP;
        String item = "i" + random.nextInt(30);
        boolean click = random.nextBoolean();
        boolean done = click && random.nextBoolean();
        ts.add(at);
        items.add(item);
        clicked.add(click);
        completed.add(done);
        logged.add(RowFactory.create(new Timestamp(at), p, item, click, done));
      }
    }
    LoopInteractions.History history =
        new LoopInteractions.History(
            ts.stream().mapToLong(Long::longValue).toArray(),
            items.toArray(String[]::new),
            toArray(clicked),
            toArray(completed));
    LoopInteractions interactions = new LoopInteractions(Map.of(USER, history));

    List<ServedRequest> today = new ArrayList<>();
    long t = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli();
    for (int request = 0; request < 3; request++) {
      int slots = 3 + request;
      String[] shown = new String[slots];
      boolean[] click = new boolean[slots];
      boolean[] done = new boolean[slots];
      long[] millis = new long[slots];
      for (int p = 0; p < slots; p++) {
        shown[p] = "i" + random.nextInt(30);
        click[p] = random.nextBoolean();
        done[p] = click[p] && random.nextBoolean();
        millis[p] = t + p * SLOT_GAP;
        logged.add(RowFactory.create(new Timestamp(millis[p]), p, shown[p], click[p], done[p]));
      }
      today.add(
          new ServedRequest(
              Scenario.FEED,
              Instant.ofEpochMilli(t),
              new int[slots],
              click,
              new float[] {1f},
              0.1,
              shown,
              done,
              millis));
      t += 60_000L;
    }

    for (int earlier = 0; earlier <= today.size(); earlier++) {
      long at = earlier < today.size() ? today.get(earlier).ts().toEpochMilli() : t;
      RequestContext context =
          new RequestContext(
              Scenario.SEARCH,
              USER,
              4,
              List.of(),
              new float[2],
              0,
              earlier,
              "r" + earlier,
              Instant.ofEpochMilli(at),
              today.subList(0, earlier));
      List<SequenceInputs.Interaction> expected = EncoderReplay.before(logged, new Timestamp(at));
      assertThat(interactions.before(context))
          .as("the interactions before request " + earlier)
          .hasSize(10 + (earlier * (earlier + 5)) / 2)
          .isEqualTo(expected);
    }
    RequestContext stranger =
        new RequestContext(
            Scenario.FEED,
            "someone-else",
            0,
            List.of(),
            new float[2],
            0,
            0,
            "r",
            Instant.ofEpochMilli(t),
            List.of());
    assertThat(interactions.before(stranger)).as("a user without history").isEmpty();
  }

  private static boolean[] toArray(List<Boolean> values) {
    boolean[] out = new boolean[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
