package dev.kindling.features.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.ReplaySchema;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@link ObservationSpec}: the feature order and the feature-spec statistics on known values. */
class ObservationSpecTest {

  @Test
  void featureNamesInOrder() {
    List<String> names = ObservationSpec.featureNames(List.of("feed", "search"));
    assertThat(names)
        .as("start of day, day so far, scenarios in the given order, time of day")
        .containsExactly(
            "has_state",
            "exploitation_score",
            "curiosity",
            "fatigue",
            "satisfaction",
            "interest_breadth",
            "interest_entropy",
            "log1p_days_active",
            "in_protection_period",
            "steps_so_far",
            "impressions_so_far",
            "clicks_so_far",
            "click_rate_so_far",
            "categories_seen_so_far",
            "same_category_run",
            "scenario_feed",
            "scenario_search",
            "hour_sin",
            "hour_cos");
    assertThat(ObservationSpec.length(List.of("feed", "search")))
        .as("length agrees with the names")
        .isEqualTo(names.size());
  }

  @Test
  void statisticsAreMeanAndPopulationStdPerPosition() {
    StructType obsOnly =
        new StructType()
            .add(
                ReplaySchema.OBS,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                false /* nullable */);
    Dataset<Row> replay =
        SparkTestSession.get()
            .createDataFrame(
                List.of(
                    RowFactory.create(List.of(1.0f, 10.0f, -2.0f)),
                    RowFactory.create(List.of(3.0f, 10.0f, 2.0f)),
                    RowFactory.create(List.of(5.0f, 10.0f, 0.0f))),
                obsOnly);

    Dataset<Row> spec = ObservationSpec.statistics(replay, List.of("a", "b", "c"));
    assertThat(spec.schema()).as("the feature spec schema").isEqualTo(FeatureSpecSchema.SCHEMA);
    List<Row> rows =
        spec.collectAsList().stream()
            .sorted(Comparator.comparingInt(row -> row.<Integer>getAs(FeatureSpecSchema.POSITION)))
            .toList();
    assertThat(rows.stream().map(row -> row.<String>getAs(FeatureSpecSchema.NAME)))
        .as("names by position")
        .containsExactly("a", "b", "c");
    assertThat(rows.stream().map(row -> row.<Double>getAs(FeatureSpecSchema.MEAN)))
        .as("means")
        .containsExactly(3.0, 10.0, 0.0);
    assertThat(rows.get(0).<Double>getAs(FeatureSpecSchema.STD))
        .as("population std of 1, 3, 5")
        .isCloseTo(Math.sqrt(8.0 / 3.0), offset(1e-9));
    assertThat(rows.get(1).<Double>getAs(FeatureSpecSchema.STD)).as("constant feature").isZero();
    assertThat(rows.get(2).<Double>getAs(FeatureSpecSchema.STD))
        .as("population std of -2, 2, 0")
        .isCloseTo(Math.sqrt(8.0 / 3.0), offset(1e-9));
  }
}
