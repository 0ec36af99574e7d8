package dev.kindling.pipelines.lakehouse;

import dev.kindling.features.schema.CategoryEmbeddingsSchema;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.HeatingAllocationsSchema;
import dev.kindling.features.schema.HeatingQuotasSchema;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.features.schema.QuarantineSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.features.schema.UserMindStateSchema;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** The Delta tables Kindling writes, each with its name (the SQL view name), path and schema. */
public enum Table {
  /** Impressions that passed validation, deduplicated; the input of every later stage. */
  VALIDATED_EVENTS("validated_events", EventsSchema.SCHEMA),
  /** Raw rows that broke the log contract, with the reason. */
  QUARANTINE("quarantine", QuarantineSchema.SCHEMA),
  /** Per-user mind state of each active user, per day. */
  USER_MIND_STATE("user_mind_state", UserMindStateSchema.SCHEMA),
  /** Per-item content state of every live item, per day. */
  CONTENT_STATE("content_state", ContentStateSchema.SCHEMA),
  /** Every catalog item's vector learned from behaviour (or its category's, flagged), per day. */
  ITEM_EMBEDDINGS("item_embeddings", ItemEmbeddingsSchema.SCHEMA),
  /** Every catalog category's vector: what an item gets before it has clicks, per day. */
  CATEGORY_EMBEDDINGS("category_embeddings", CategoryEmbeddingsSchema.SCHEMA),
  /** Replay transitions, one row per ranking request (an MA-RDPG step), per day and bucket. */
  REPLAY("replay", ReplaySchema.SCHEMA, ReplaySchema.DT, ReplaySchema.BUCKET),
  /** The observation's feature spec (names, order, mean and std) of each day's replay. */
  REPLAY_FEATURE_SPEC("replay_feature_spec", FeatureSpecSchema.TABLE_SCHEMA),
  /** One row per completed training round of the train stage, per day. */
  TRAINING_RUNS("training_runs", TrainingRunsSchema.SCHEMA),
  /** The content agent's heating bid for each cold item, with its parts, per day. */
  COLD_START_SCORES("cold_start_scores", ColdStartScoresSchema.SCHEMA),
  /** The system agent's heated-impression quota for each scored item, per day. */
  HEATING_QUOTAS("heating_quotas", HeatingQuotasSchema.SCHEMA),
  /** The system agent's allocation-level figures and business weights, one row per day. */
  HEATING_ALLOCATIONS("heating_allocations", HeatingAllocationsSchema.SCHEMA),
  /** Every evaluation figure (metrics, off-policy estimates, gate checks, curves), long layout. */
  EVALUATION("evaluation", EvaluationSchema.SCHEMA, EvaluationSchema.DT, EvaluationSchema.RUN);

  private final String tableName;
  private final StructType schema;
  private final List<String> partitionColumns;

  Table(String tableName, StructType schema, String... partitionColumns) {
    this.tableName = tableName;
    this.schema = schema;
    this.partitionColumns =
        partitionColumns.length == 0 ? List.of(Lakehouse.DT) : List.of(partitionColumns);
  }

  /** The table's partition columns, {@code dt} first. */
  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** The table's name: its directory under the lakehouse root and its view name in SQL. */
  public String tableName() {
    return tableName;
  }

  public StructType schema() {
    return schema;
  }
}
