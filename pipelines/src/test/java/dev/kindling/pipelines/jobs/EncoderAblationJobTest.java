package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablation encoder} end to end on a tiny world (2 warm-up days, 1 loop day, one seed): both
 * arms run, their warm-up logs and the logging policy's estimate on the same-data day are equal,
 * the figures are the ones the arms wrote, and a second run reuses complete arms while an arm
 * missing a loop day is incomplete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncoderAblationJobTest {

  private static final long SEED = 11L;
  private static final int DAYS = 1;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static KindlingConfig config;
  private static EncoderAblationResult first;

  @BeforeAll
  static void runBothArms() {
    spark = SparkTestSession.get();
    // The ablation's comparison is under test here, with the gate open.
    config =
        JobFixtures.loopConfig(
            dir.resolve("lakehouse"),
            "simulate-loop.warm-up-days=2",
            "replay.encoder.recent-steps=4");
    first = new EncoderAblationJob(spark, config, List.of(SEED), DAYS, false).run();
  }

  private static EncoderAblationJob job() {
    return new EncoderAblationJob(spark, config, List.of(SEED), DAYS, false);
  }

  private static Lakehouse armLakehouse(String arm) {
    return new Lakehouse(spark, job().arm(SEED, arm).armRoot());
  }

  @Test
  void bothArmsRanAndOnlyTheEncoderArmsPolicyReadsTheEncoder() {
    EncoderAblationResult.Seed seed = first.seeds().get(0);
    assertThat(seed.seed()).isEqualTo(SEED);
    assertThat(seed.plain().ran()).isTrue();
    assertThat(seed.encoder().ran()).isTrue();
    for (String arm : List.of(EncoderAblationJob.PLAIN, EncoderAblationJob.ENCODER)) {
      PolicyClient client =
          PolicyClient.loadLatest(armLakehouse(arm).localPath(TrainJob.POLICY_ARTIFACTS));
      assertThat(client.shape().hasEncoder())
          .as("arm %s's published policy reads the encoder", arm)
          .isEqualTo(EncoderAblationJob.ENCODER.equals(arm));
      assertThat(client.manifest().runDate()).isEqualTo(seed.sameDataDay().toString());
    }
  }

  @Test
  void theOffPolicyDayIsTheSameDataInBothArms() {
    EncoderAblationResult.Seed seed = first.seeds().get(0);
    LocalDate start = job().arm(SEED, EncoderAblationJob.PLAIN).startDate();
    for (LocalDate day = start; !day.isAfter(seed.sameDataDay()); day = day.plusDays(1)) {
      JobFixtures.assertSameRows(
          "warm-up raw events of " + day + ", plain vs encoder arm",
          armLakehouse(EncoderAblationJob.PLAIN).rawEvents(day),
          armLakehouse(EncoderAblationJob.ENCODER).rawEvents(day));
    }
    EncoderAblationResult.Estimate plain = seed.plain().logging();
    EncoderAblationResult.Estimate encoder = seed.encoder().logging();
    assertThat(plain.value()).isNotNull();
    assertThat(encoder.value())
        .as("the logging policy's DR on the same replay day, encoder arm vs plain arm")
        .isCloseTo(plain.value(), offset(1e-9));

    for (EncoderAblationResult.Arm arm : List.of(seed.plain(), seed.encoder())) {
      assertThat(arm.candidate().keySet())
          .as("arm %s's candidate figures", arm.name())
          .containsExactlyElementsOf(EncoderAblationJob.OFF_POLICY_FIGURES);
      Lakehouse lakehouse = armLakehouse(arm.name());
      for (var e : arm.candidate().entrySet()) {
        Row written =
            lakehouse
                .read(Table.EVALUATION, seed.sameDataDay())
                .where(
                    col(EvaluationSchema.RUN)
                        .equalTo(EvaluationSchema.RUN_EVALUATE)
                        .and(col(EvaluationSchema.POLICY).equalTo(EvaluateJob.CANDIDATE))
                        .and(col(EvaluationSchema.METRIC).equalTo(e.getKey().metric()))
                        .and(col(EvaluationSchema.ESTIMATOR).equalTo(e.getKey().estimator())))
                .select(EvaluationSchema.VALUE, EvaluationSchema.LOWER, EvaluationSchema.UPPER)
                .first();
        assertThat(e.getValue())
            .as("arm %s, %s", arm.name(), e.getKey())
            .isEqualTo(
                new EncoderAblationResult.Estimate(
                    written.getDouble(0), written.getDouble(1), written.getDouble(2)));
        assertThat(e.getValue().lower()).isLessThanOrEqualTo(e.getValue().upper());
      }
      assertThat(arm.gates()).as("nights evaluated from the same-data day").isEqualTo(DAYS);
    }
  }

  @Test
  void theLoopMeansAreTheArmsOwnEvaluationRows() {
    EncoderAblationResult.Seed seed = first.seeds().get(0);
    Lakehouse main = new Lakehouse(spark, dir.resolve("lakehouse").toString());
    for (EncoderAblationResult.Arm arm : List.of(seed.plain(), seed.encoder())) {
      assertThat(arm.loopDays()).isEqualTo(DAYS);
      for (String metric : EncoderAblationJob.LOOP_METRICS) {
        Row row =
            main.read(Table.EVALUATION, seed.lastDate())
                .where(
                    col(EvaluationSchema.RUN)
                        .equalTo(EvaluationSchema.RUN_SIMULATE_LOOP)
                        .and(col(EvaluationSchema.SEED).equalTo(SEED))
                        .and(col(EvaluationSchema.POLICY).equalTo(arm.name()))
                        .and(col(EvaluationSchema.METRIC).equalTo(metric)))
                .select(EvaluationSchema.VALUE)
                .first();
        assertThat(arm.loopMeans().get(metric))
            .as("arm %s, %s", arm.name(), metric)
            .isEqualTo(row.isNullAt(0) ? null : row.getDouble(0));
      }
    }
    assertThat(seed.plain().loopMeans().get(EncoderAblationJob.LOOP_METRICS.get(0)))
        .as("interest entropy is measured")
        .isNotNull();
    String printed = first.toString();
    assertThat(printed)
        .contains("seed " + SEED, EncoderAblationJob.PLAIN, EncoderAblationJob.ENCODER);
    for (String metric : EncoderAblationJob.LOOP_METRICS) {
      assertThat(printed).contains(metric);
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aSecondRunReusesCompleteArmsAndAnArmMissingALoopDayIsIncomplete() {
    EncoderAblationResult again = job().run();
    EncoderAblationResult.Seed seed = again.seeds().get(0);
    assertThat(seed.plain().ran()).isFalse();
    assertThat(seed.encoder().ran()).isFalse();
    assertThat(again.toString()).contains("reused");
    assertThat(seed.encoder().loopMeans()).isEqualTo(first.seeds().get(0).encoder().loopMeans());
    assertThat(seed.encoder().candidate()).isEqualTo(first.seeds().get(0).encoder().candidate());

    // Last in this class: it removes the plain arm's loop day.
    Lakehouse main = new Lakehouse(spark, dir.resolve("lakehouse").toString());
    SimulateLoopConfig plain = job().arm(SEED, EncoderAblationJob.PLAIN);
    assertThat(job().incomplete(main, plain)).isNull();
    main.deleteRows(
        Table.EVALUATION,
        seed.lastDate(),
        col(EvaluationSchema.POLICY).equalTo(EncoderAblationJob.PLAIN));
    assertThat(job().incomplete(main, plain)).isEqualTo("0 of its 1 loop days are measured");
    assertThat(job().incomplete(main, job().arm(SEED, EncoderAblationJob.ENCODER))).isNull();
    assertThat(job().incomplete(main, job().arm(SEED + 1, EncoderAblationJob.ENCODER)))
        .as("a seed never run")
        .isEqualTo("0 of its 1 loop days are measured");
  }
}
