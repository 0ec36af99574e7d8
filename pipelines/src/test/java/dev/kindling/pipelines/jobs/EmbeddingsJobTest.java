package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.embeddings.ItemEmbeddings;
import dev.kindling.features.schema.CategoryEmbeddingsSchema;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddingsJob} on three simulated days of a world of 1,500 users and 600 items in the
 * simulator's 20 categories, which are the categories users' latent interests are drawn over: the
 * catalog's {@code category} is the latent truth the vectors should recover.
 */
class EmbeddingsJobTest {

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static Lakehouse lakehouse;
  private static LocalDate day;
  private static EmbeddingsResult first;
  private static EmbeddingsResult dayBefore;

  @BeforeAll
  static void simulateValidateAndEmbed() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    lakehouse = new Lakehouse(spark, root.toString());
    SimulatorConfig world = SimulatorConfig.defaults().withPopulation(1500, 50, 600, 40);
    new SimulateJob(spark, new SimulateConfig(root.toString(), 3, world)).run();
    LocalDate start = world.startDate();
    for (int d = 0; d < 3; d++) {
      JobFixtures.validate(spark, root, start.plusDays(d));
    }
    day = start.plusDays(2);
    dayBefore = embeddings(day.minusDays(1));
    first = embeddings(day);
  }

  private static EmbeddingsResult embeddings(LocalDate runDate) {
    KindlingConfig config =
        KindlingConfig.defaults(List.of("lakehouse.root=" + root, "embeddings.window-days=3"));
    return new EmbeddingsJob(spark, EmbeddingsConfig.from(config, runDate)).run();
  }

  @Test
  void itemsOfOneLatentCategoryAreNearerThanRandomPairs() {
    assertThat(first.separation()).isNotNull();
    assertThat(first.learnedItems()).isGreaterThan(50);
    // Measured: same-category cosine 0.920 vs any pair 0.272 (margin 0.648) over 116 learned items.
    assertThat(first.separation().margin()).as("%s", first.separation()).isGreaterThan(0.2);
  }

  /**
   * The day's vectors are rotated onto the day before's (the two fits start from unrelated random
   * bases): an item learned on both days then has nearly the same vector on both.
   */
  @Test
  void theVectorsAreAlignedToTheDayBeforesBasis() {
    assertThat(dayBefore.alignment()).as("nothing before the first day").isNull();
    ItemEmbeddings.Alignment alignment = first.alignment();
    assertThat(alignment.applied()).as("%s", alignment).isTrue();
    assertThat(alignment.referenceDay()).isEqualTo(day.minusDays(1));
    assertThat(alignment.sharedItems()).isGreaterThan(30);
    assertThat(alignment.cosineAfter())
        .as("%s", alignment)
        .isGreaterThan(0.6)
        .isGreaterThan(alignment.cosineBefore() + 0.2);
    Row row = lakehouse.read(Table.ITEM_EMBEDDINGS, day).first();
    assertThat(row.<String, String>getJavaMap(row.fieldIndex(ItemEmbeddingsSchema.MODEL_PARAMS)))
        .containsEntry("aligned_to", day.minusDays(1).toString())
        .containsEntry("aligned_items", Long.toString(alignment.sharedItems()));
  }

  @Test
  void everyCatalogItemHasOneRowAndAnItemWithoutClicksCarriesItsCategorysVector() {
    Timestamp endOfDay = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    long catalog =
        lakehouse
            .rawItems()
            .where(col(ItemsSchema.PUBLISH_TS).lt(endOfDay))
            .select(ItemsSchema.ITEM_ID)
            .distinct()
            .count();
    Dataset<Row> items = lakehouse.read(Table.ITEM_EMBEDDINGS, day);
    assertThat(items.count()).isEqualTo(catalog).isEqualTo(first.items());
    assertThat(items.select(ItemEmbeddingsSchema.ITEM_ID).distinct().count()).isEqualTo(catalog);

    Map<String, List<Object>> categoryVectors = new HashMap<>();
    for (Row row : lakehouse.read(Table.CATEGORY_EMBEDDINGS, day).collectAsList()) {
      categoryVectors.put(
          row.getString(row.fieldIndex(CategoryEmbeddingsSchema.CATEGORY)),
          row.getList(row.fieldIndex(CategoryEmbeddingsSchema.EMBEDDING)));
    }
    assertThat(categoryVectors).hasSize((int) first.categories());
    List<Row> fallbacks = items.where(col(ItemEmbeddingsSchema.FALLBACK)).collectAsList();
    assertThat(fallbacks).hasSize((int) (first.items() - first.learnedItems())).isNotEmpty();
    for (Row row : fallbacks) {
      assertThat(row.getString(row.fieldIndex(ItemEmbeddingsSchema.SOURCE)))
          .isEqualTo(ItemEmbeddingsSchema.SOURCE_CATEGORY);
      assertThat(row.<Object>getList(row.fieldIndex(ItemEmbeddingsSchema.EMBEDDING)))
          .isEqualTo(
              categoryVectors.get(row.getString(row.fieldIndex(ItemEmbeddingsSchema.CATEGORY))));
    }
    assertThat(
            items
                .where(col(ItemEmbeddingsSchema.FALLBACK).equalTo(false))
                .where(col(ItemEmbeddingsSchema.CLICKS).lt(5L))
                .count())
        .as("learned items with fewer than embeddings.min-clicks clicks")
        .isZero();
    // Items published on the run date that nobody clicked yet are among them: new content has a
    // vector on its first day.
    Timestamp startOfDay = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    long newUnclicked =
        items
            .where(col(ItemEmbeddingsSchema.CLICKS).equalTo(0L))
            .join(
                lakehouse.rawItems().where(col(ItemsSchema.PUBLISH_TS).geq(startOfDay)),
                ItemsSchema.ITEM_ID)
            .count();
    assertThat(newUnclicked).isPositive();
  }

  @Test
  void aRerunOfTheDateWritesTheSameRows() {
    Dataset<Row> before = JobFixtures.snapshot(spark, lakehouse.read(Table.ITEM_EMBEDDINGS, day));
    EmbeddingsResult again = embeddings(day);
    assertThat(again.itemVersion()).isGreaterThan(first.itemVersion());
    JobFixtures.assertSameRows(
        "item_embeddings after a re-run", before, lakehouse.read(Table.ITEM_EMBEDDINGS, day));
  }

  @Test
  void aDateWithoutValidatedEventsFailsWithTheCommandThatFixesIt() {
    LocalDate notValidated = day.plusDays(5);
    assertThatThrownBy(() -> embeddings(notValidated))
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("embeddings " + notValidated + " found no validated events")
        .hasMessageContaining("bin/kindling validate --run-date " + notValidated);
    assertThat(lakehouse.read(Table.ITEM_EMBEDDINGS, notValidated).isEmpty()).isTrue();
  }
}
