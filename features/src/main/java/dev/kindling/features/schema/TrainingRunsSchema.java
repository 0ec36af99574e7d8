package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code training_runs} Delta table: one row per completed training round of the train stage,
 * partitioned by {@code dt}, appended as each round completes, so a run that fails still shows the
 * rounds it completed. Idempotent per run date: a fresh attempt (new or warm-started networks)
 * first deletes every row of its {@code dt}; an attempt that resumes from the checkpoint of round k
 * deletes the rows of its {@code dt} with {@code round > k} and keeps rounds 1..k. Once a run has
 * finished, its {@code dt} holds exactly {@code rounds} rows, one per round. Averages are over the
 * round's transitions.
 */
public final class TrainingRunsSchema {

  /** Partition: the run date D whose replay window was trained on. */
  public static final String DT = "dt";

  /**
   * The attempt that trained the round: a random UUID, new for every attempt (resumed ones too).
   */
  public static final String RUN_ID = "run_id";

  /** The trainer that ran the round: {@code spark} or {@code local}. */
  public static final String TRAINER = "trainer";

  /** The round, counted from 1 over the whole run (a resumed attempt continues the count). */
  public static final String ROUND = "round";

  /** The rounds the run planned ({@code train.rounds}). */
  public static final String ROUNDS = "rounds";

  /** MSE of the first critic against the TD targets, over the round. */
  public static final String CRITIC_LOSS_1 = "critic_loss_1";

  /** MSE of the second (twin) critic against the TD targets, over the round. */
  public static final String CRITIC_LOSS_2 = "critic_loss_2";

  /** The actors' training loss −λ·Q + ‖π − a_logged‖² − β·H, over the round. */
  public static final String ACTOR_LOSS = "actor_loss";

  /** Mean Q₁ of the policy's actions, over the round. */
  public static final String MEAN_Q = "mean_q";

  /** Largest Q₁ of the policy's actions over the round. */
  public static final String MAX_Q = "max_q";

  /** L2 norm of the first critic's loss gradient on a probe batch at the round's end. */
  public static final String CRITIC_GRADIENT_NORM_1 = "critic_gradient_norm_1";

  /** L2 norm of the second critic's loss gradient on the same probe batch. */
  public static final String CRITIC_GRADIENT_NORM_2 = "critic_gradient_norm_2";

  /** L2 norm of the actors' loss gradient (their layers, every scenario) on the probe batch. */
  public static final String ACTOR_GRADIENT_NORM = "actor_gradient_norm";

  /** Mean ‖π(h, o) − a_logged‖² over the round: how far the policy is from the logged behaviour. */
  public static final String BEHAVIOUR_DISTANCE = "behaviour_distance";

  /** Transitions the round trained on (the sample of the window). */
  public static final String TRANSITIONS = "transitions";

  /** Transitions per second of the round, reading the batches included. */
  public static final String TRANSITIONS_PER_SECOND = "transitions_per_second";

  /** Wall-clock seconds of the round. */
  public static final String SECONDS = "seconds";

  /** Whether the attempt started from a checkpoint of the same run date (resumed). */
  public static final String RESUMED = "resumed";

  /**
   * The published policy the attempt's networks started from ({@code artifacts/policy/<name>}, the
   * name LATEST held); null when it started from fresh networks or a checkpoint.
   */
  public static final String WARM_START_FROM = "warm_start_from";

  /** When the attempt started, UTC. */
  public static final String STARTED_AT = "started_at";

  /** When the round finished, UTC. */
  public static final String FINISHED_AT = "finished_at";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            field(DT, DataTypes.DateType),
            field(RUN_ID, DataTypes.StringType),
            field(TRAINER, DataTypes.StringType),
            field(ROUND, DataTypes.IntegerType),
            field(ROUNDS, DataTypes.IntegerType),
            field(CRITIC_LOSS_1, DataTypes.DoubleType),
            field(CRITIC_LOSS_2, DataTypes.DoubleType),
            field(ACTOR_LOSS, DataTypes.DoubleType),
            field(MEAN_Q, DataTypes.DoubleType),
            field(MAX_Q, DataTypes.DoubleType),
            field(CRITIC_GRADIENT_NORM_1, DataTypes.DoubleType),
            field(CRITIC_GRADIENT_NORM_2, DataTypes.DoubleType),
            field(ACTOR_GRADIENT_NORM, DataTypes.DoubleType),
            field(BEHAVIOUR_DISTANCE, DataTypes.DoubleType),
            field(TRANSITIONS, DataTypes.LongType),
            field(TRANSITIONS_PER_SECOND, DataTypes.DoubleType),
            field(SECONDS, DataTypes.DoubleType),
            field(RESUMED, DataTypes.BooleanType),
            DataTypes.createStructField(WARM_START_FROM, DataTypes.StringType, true /* nullable */),
            field(STARTED_AT, DataTypes.TimestampType),
            field(FINISHED_AT, DataTypes.TimestampType)
          });

  private TrainingRunsSchema() {}

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, false /* nullable */);
  }
}
