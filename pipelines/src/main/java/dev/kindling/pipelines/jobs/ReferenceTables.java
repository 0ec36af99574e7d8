package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import dev.kindling.agents.replay.ObservationNormaliser;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import dev.kindling.features.validate.LogContractException;
import dev.kindling.features.validate.ReferenceLogs;
import dev.kindling.features.validate.SchemaCheck;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** The raw item catalog and user directory in their contracts, one row per key, for the stages. */
final class ReferenceTables {

  private ReferenceTables() {}

  /**
   * The observation normaliser of run date {@code day}: its {@code replay_feature_spec} checked
   * against the observation layout of {@code scenarios}. Cost: one small Delta read, collected.
   *
   * @throws KindlingException naming {@code stage} when the spec is missing or describes another
   *     layout, with the replay command that writes it
   */
  static ObservationNormaliser featureSpec(
      Lakehouse lakehouse, LocalDate day, List<String> scenarios, String stage) {
    List<Row> spec = lakehouse.read(Table.REPLAY_FEATURE_SPEC, day).collectAsList();
    String fix = "Run 'bin/kindling replay --run-date " + day + "'";
    if (spec.isEmpty()) {
      throw Errors.missingInput(
          "replay_feature_spec for run date " + day,
          lakehouse.path(Table.REPLAY_FEATURE_SPEC),
          fix + " first.");
    }
    try {
      return ObservationNormaliser.fromFeatureSpec(spec, ObservationSpec.featureNames(scenarios));
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          stage
              + " "
              + day
              + " cannot use the replay_feature_spec of "
              + day
              + ": "
              + e.getMessage(),
          "The spec must describe the observation of the configured scenarios " + scenarios + ".",
          fix + " again with the same configuration.");
    }
  }

  /**
   * The item vectors of the {@code item_embeddings} partition {@code tableDay} as of Delta version
   * {@code version}, by item id. Cost: one Delta read of the partition, collected (about {@code 4 ×
   * E} bytes plus the id per item).
   *
   * @throws KindlingException naming {@code stage} and {@code day} when a vector is not {@code
   *     dimension} long, with the embeddings command that rebuilds the partition
   */
  static Map<String, float[]> itemVectors(
      Lakehouse lakehouse,
      LocalDate tableDay,
      long version,
      int dimension,
      String stage,
      LocalDate day) {
    List<Row> rows =
        lakehouse
            .read(Table.ITEM_EMBEDDINGS, tableDay, version)
            .select(ItemEmbeddingsSchema.ITEM_ID, ItemEmbeddingsSchema.EMBEDDING)
            .collectAsList();
    Map<String, float[]> vectors = new HashMap<>(Math.max(16, rows.size() * 2));
    for (Row row : rows) {
      List<Float> values = row.getList(1);
      if (values.size() != dimension) {
        throw Errors.of(
            stage
                + " "
                + day
                + " found item vectors of "
                + values.size()
                + " values in item_embeddings of "
                + tableDay
                + " (item "
                + row.getString(0)
                + "); embeddings.dimension is "
                + dimension
                + ".",
            "The encoder's inputs are built for the configured embedding dimension.",
            "Re-run 'bin/kindling embeddings --run-date "
                + tableDay
                + "' with the current configuration, or set embeddings.dimension to "
                + values.size()
                + ".");
      }
      float[] vector = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        vector[i] = values.get(i);
      }
      vectors.put(row.getString(0), vector);
    }
    return vectors;
  }

  /**
   * Fails unless validate ran for {@code day}: it wrote validated events or quarantined rows of
   * that date. Cost: two small Delta reads.
   *
   * @throws KindlingException naming {@code stage} and the validate command to run first
   */
  static void requireValidated(Lakehouse lakehouse, LocalDate day, String stage) {
    boolean validated =
        lakehouse.exists(Table.VALIDATED_EVENTS)
            && (!lakehouse.read(Table.VALIDATED_EVENTS, day).isEmpty()
                || !lakehouse.read(Table.QUARANTINE, day).isEmpty());
    if (!validated) {
      throw Errors.of(
          stage + " " + day + " found no validated events for that date.",
          stage + " reads validated_events, which the validate stage writes.",
          "Run 'bin/kindling validate --run-date " + day + "' first (nightly runs both).");
    }
  }

  /** The item catalog in its contract, one row per item (the earliest publication wins). */
  static Dataset<Row> catalog(Lakehouse lakehouse, String stage) {
    return onePerKey(
        conform(
            stage,
            ReferenceLogs.ITEMS_LOG,
            lakehouse.rawItems(),
            ItemsSchema.SCHEMA,
            ItemsSchema.REQUIRED),
        ItemsSchema.ITEM_ID,
        ItemsSchema.SCHEMA);
  }

  /** The user directory in its contract, one row per user (the earliest sign-up wins). */
  static Dataset<Row> directory(Lakehouse lakehouse, String stage) {
    return onePerKey(
        conform(
            stage,
            ReferenceLogs.USERS_LOG,
            lakehouse.rawUsers(),
            UsersSchema.SCHEMA,
            UsersSchema.REQUIRED),
        UsersSchema.USER_ID,
        UsersSchema.SCHEMA);
  }

  private static Dataset<Row> conform(
      String stage, String log, Dataset<Row> raw, StructType schema, List<String> required) {
    try {
      Column[] columns = Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
      return SchemaCheck.conform(log, raw, schema, required).rows().select(columns);
    } catch (LogContractException e) {
      throw new KindlingException(stage + " stopped before writing anything: " + e.getMessage(), e);
    }
  }

  /**
   * One row per non-null key: the smallest row in schema column order (so the earliest timestamp,
   * which follows the key) wins, deterministically.
   */
  private static Dataset<Row> onePerKey(Dataset<Row> rows, String key, StructType schema) {
    String[] rest =
        Arrays.stream(schema.fieldNames()).filter(c -> !c.equals(key)).toArray(String[]::new);
    Column packed = struct(Arrays.stream(rest).map(c -> col(c)).toArray(Column[]::new));
    Column[] out =
        Stream.concat(Stream.of(col(key)), Arrays.stream(rest).map(c -> col("first." + c).as(c)))
            .toArray(Column[]::new);
    return rows.where(col(key).isNotNull())
        .groupBy(col(key))
        .agg(min(packed).as("first"))
        .select(out);
  }
}
