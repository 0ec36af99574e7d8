package dev.kindling.features.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.CategoryEmbeddingsSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.state.StateTestRows;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Item vectors on synthetic behaviour whose categories are known: 4 categories of 12 items, 120
 * users who each click only items of their own category, in random order, 6 a day for 3 days.
 * Beside them: two barely-clicked items of category c0, one item of a category nobody clicked (c9),
 * and one item published after the run date.
 */
class ItemEmbeddingsTest {

  private static final LocalDate DAY = LocalDate.parse("2024-01-03");
  private static final int CATEGORIES = 4;
  private static final int ITEMS_PER_CATEGORY = 12;
  private static final EmbeddingParams WORD2VEC =
      EmbeddingParams.builder().dimension(8).minClicks(5).iterations(10).build();

  private static SparkSession spark;
  private static Dataset<Row> events;
  private static Dataset<Row> items;

  @BeforeAll
  static void data() {
    spark = SparkTestSession.get();
    List<Row> itemRows = new ArrayList<>();
    for (int c = 0; c < CATEGORIES; c++) {
      for (int k = 0; k < ITEMS_PER_CATEGORY; k++) {
        itemRows.add(item("i-" + c + "-" + k, "c" + c, "2024-01-01T00:00:00Z"));
      }
    }
    itemRows.add(item("cold-c0-a", "c0", "2024-01-03T20:00:00Z"));
    itemRows.add(item("cold-c0-b", "c0", "2024-01-03T21:00:00Z"));
    itemRows.add(item("lonely-c9", "c9", "2024-01-02T00:00:00Z"));
    itemRows.add(item("tomorrow-c1", "c1", "2024-01-04T00:00:00Z"));
    items = spark.createDataFrame(itemRows, ItemsSchema.SCHEMA);

    Random rng = new Random(11);
    List<Row> rows = new ArrayList<>();
    int event = 0;
    for (int u = 0; u < 120; u++) {
      int c = u % CATEGORIES;
      for (int d = 1; d <= 3; d++) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < ITEMS_PER_CATEGORY; k++) {
          order.add(k);
        }
        Collections.shuffle(order, rng);
        for (int n = 0; n < 6; n++) {
          String at = String.format("2024-01-0%dT10:%02d:00Z", d, n);
          rows.add(
              StateTestRows.impression(
                  "e" + event++, "u" + u, "i-" + c + "-" + order.get(n), at, true));
          // An unclicked impression of another category's item: only clicks are behaviour.
          rows.add(
              StateTestRows.impression(
                  "e" + event++, "u" + u, "i-" + ((c + 1) % CATEGORIES) + "-0", at, false));
        }
      }
    }
    rows.add(
        StateTestRows.impression("e" + event++, "u0", "cold-c0-a", "2024-01-03T22:00:00Z", true));
    rows.add(
        StateTestRows.impression("e" + event++, "u0", "lonely-c9", "2024-01-03T22:01:00Z", true));
    events = spark.createDataFrame(rows, EventsSchema.SCHEMA);
  }

  @Test
  void everyCatalogItemOfTheRunDateGetsOneRowAndCategoriesSeparate() {
    ItemEmbeddingsResult result = ItemEmbeddings.compute(events, items, DAY, WORD2VEC);
    Map<String, Row> byItem = byKey(result.items(), ItemEmbeddingsSchema.ITEM_ID);

    assertEquals(CATEGORIES * ITEMS_PER_CATEGORY + 3, byItem.size(), "catalog items up to D");
    assertFalse(byItem.containsKey("tomorrow-c1"), "published after the run date");
    for (Row row : byItem.values()) {
      assertEquals(8, vector(row).length);
      assertEquals(DAY, row.getDate(row.fieldIndex(ItemEmbeddingsSchema.DT)).toLocalDate());
      assertEquals("word2vec", row.getString(row.fieldIndex(ItemEmbeddingsSchema.MODEL)));
      Map<String, String> params =
          row.getJavaMap(row.fieldIndex(ItemEmbeddingsSchema.MODEL_PARAMS));
      assertEquals("8", params.get("dimension"));
      assertEquals("5", params.get("context_window"));
    }
    Row learned = byItem.get("i-2-3");
    assertEquals(ItemEmbeddingsSchema.SOURCE_LEARNED, source(learned));
    assertFalse(learned.getBoolean(learned.fieldIndex(ItemEmbeddingsSchema.FALLBACK)));
    assertEquals(1.0, norm(vector(learned)), 1e-5, "learned vectors have unit norm");
    // Each c2 user clicks 18 of the 12 items' slots over 3 days: 30 users x 18 / 12 = 45 per item.
    assertTrue(learned.getLong(learned.fieldIndex(ItemEmbeddingsSchema.CLICKS)) > 20);

    CategorySeparation separation = ItemEmbeddings.separation(result.items());
    assertEquals(CATEGORIES * ITEMS_PER_CATEGORY, separation.learnedItems());
    assertTrue(
        separation.margin() > 0.3,
        "items of one category are nearer than any two items: " + separation);
  }

  @Test
  void anItemWithTooFewClicksGetsItsCategorysVectorAndIsFlagged() {
    ItemEmbeddingsResult result = ItemEmbeddings.compute(events, items, DAY, WORD2VEC);
    Map<String, Row> byItem = byKey(result.items(), ItemEmbeddingsSchema.ITEM_ID);
    Map<String, Row> byCategory = byKey(result.categories(), CategoryEmbeddingsSchema.CATEGORY);

    Row c0 = byCategory.get("c0");
    assertEquals(ItemEmbeddingsSchema.SOURCE_CATEGORY, source(c0));
    assertEquals(
        ITEMS_PER_CATEGORY, c0.getLong(c0.fieldIndex(CategoryEmbeddingsSchema.LEARNED_ITEMS)));
    assertEquals(1.0, norm(vector(c0)), 1e-5);
    for (String cold : List.of("cold-c0-a", "cold-c0-b")) {
      Row row = byItem.get(cold);
      assertEquals(ItemEmbeddingsSchema.SOURCE_CATEGORY, source(row), cold);
      assertTrue(row.getBoolean(row.fieldIndex(ItemEmbeddingsSchema.FALLBACK)), cold);
      assertArrayEquals(vector(c0), vector(row), cold + " carries c0's vector");
    }
    assertEquals(1L, byItem.get("cold-c0-a").getLong(byItem.get("cold-c0-a").fieldIndex("clicks")));
    // The category vector lies among its members: nearer to a c0 item than to a c1 item.
    assertTrue(
        dot(vector(c0), vector(byItem.get("i-0-5")))
            > dot(vector(c0), vector(byItem.get("i-1-5"))));

    Row c9 = byCategory.get("c9");
    assertEquals(ItemEmbeddingsSchema.SOURCE_CATALOG, source(c9), "no learned item in c9");
    assertEquals(0L, c9.getLong(c9.fieldIndex(CategoryEmbeddingsSchema.LEARNED_ITEMS)));
    assertEquals(ItemEmbeddingsSchema.SOURCE_CATALOG, source(byItem.get("lonely-c9")));
    assertArrayEquals(vector(c9), vector(byItem.get("lonely-c9")));
    assertEquals(CATEGORIES + 1, byCategory.size());
  }

  @Test
  void implicitAlsSeparatesTheCategoriesToo() {
    EmbeddingParams als = WORD2VEC.toBuilder().model(EmbeddingModel.ALS).iterations(10).build();
    ItemEmbeddingsResult result = ItemEmbeddings.compute(events, items, DAY, als);
    Map<String, Row> byItem = byKey(result.items(), ItemEmbeddingsSchema.ITEM_ID);

    assertEquals(CATEGORIES * ITEMS_PER_CATEGORY + 3, byItem.size());
    assertEquals(ItemEmbeddingsSchema.SOURCE_LEARNED, source(byItem.get("i-3-0")));
    assertEquals(ItemEmbeddingsSchema.SOURCE_CATEGORY, source(byItem.get("cold-c0-a")));
    Map<String, String> params =
        byItem
            .get("i-3-0")
            .getJavaMap(byItem.get("i-3-0").fieldIndex(ItemEmbeddingsSchema.MODEL_PARAMS));
    assertEquals("als", params.get("model"));
    assertEquals("10.0", params.get("confidence"));
    CategorySeparation separation = ItemEmbeddings.separation(result.items());
    assertTrue(separation.margin() > 0.3, separation.toString());
  }

  @Test
  void aRerunLearnsTheSameVectors() {
    Map<String, Row> first =
        byKey(ItemEmbeddings.compute(events, items, DAY, WORD2VEC).items(), "item_id");
    Map<String, Row> second =
        byKey(
            ItemEmbeddings.compute(events.repartition(3), items, DAY, WORD2VEC).items(), "item_id");
    for (Map.Entry<String, Row> e : first.entrySet()) {
      assertArrayEquals(vector(e.getValue()), vector(second.get(e.getKey())), e.getKey());
    }
  }

  @Test
  void withoutEnoughClicksAnywhereEveryItemGetsTheZeroVectorAndNoneIsMissing() {
    for (EmbeddingModel model : EmbeddingModel.values()) {
      EmbeddingParams p = WORD2VEC.toBuilder().model(model).minClicks(1000).build();
      ItemEmbeddingsResult result = ItemEmbeddings.compute(events, items, DAY, p);
      List<Row> rows = result.items().collectAsList();
      assertEquals(CATEGORIES * ITEMS_PER_CATEGORY + 3, rows.size(), model.configName());
      for (Row row : rows) {
        assertEquals(ItemEmbeddingsSchema.SOURCE_NONE, source(row));
        assertArrayEquals(new float[8], vector(row));
      }
      assertNull(ItemEmbeddings.separation(result.items()), "nothing learned to measure");
    }
  }

  @Test
  void badParametersAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EmbeddingParams.builder().dimension(1).build());
    assertTrue(e.getMessage().contains("dimension = 1"), e.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> EmbeddingModel.fromConfigName("bert"));
    assertTrue(unknown.getMessage().contains("word2vec, als"), unknown.getMessage());
    assertEquals(EmbeddingModel.ALS, EmbeddingModel.fromConfigName(" ALS "));
  }

  /**
   * A refit in another basis (another seed) is rotated onto the reference's vectors: each learned
   * item's vector lands near its reference vector, where the unaligned refit's are unrelated, and
   * the rotation keeps the refit's own geometry (the category separation) and places fallback items
   * by their aligned category.
   */
  @Test
  void aRefitInAnotherBasisIsRotatedOntoTheReferenceKeepingItsGeometry() {
    Map<String, Row> reference =
        byKey(ItemEmbeddings.compute(events, items, DAY, WORD2VEC).items(), "item_id");
    EmbeddingParams otherSeed = WORD2VEC.toBuilder().seed(99L).build();
    ItemEmbeddingsResult unaligned = ItemEmbeddings.compute(events, items, DAY, otherSeed);
    ItemEmbeddingsResult aligned =
        ItemEmbeddings.compute(
            events,
            items,
            DAY,
            otherSeed,
            new ItemEmbeddings.Reference(
                DAY.minusDays(1), ItemEmbeddings.compute(events, items, DAY, WORD2VEC).items()));

    ItemEmbeddings.Alignment alignment = aligned.alignment();
    assertTrue(alignment.applied(), alignment.toString());
    assertEquals(CATEGORIES * ITEMS_PER_CATEGORY, alignment.sharedItems());
    double before = meanCosine(byKey(unaligned.items(), "item_id"), reference);
    double after = meanCosine(byKey(aligned.items(), "item_id"), reference);
    assertTrue(
        after > 0.8 && after > before + 0.3,
        "mean cosine to the reference: " + before + " unaligned, " + after + " aligned");
    assertEquals(after, alignment.cosineAfter(), 1e-3, "the reported cosine is the measured one");
    assertEquals(before, alignment.cosineBefore(), 1e-3);
    assertEquals(
        ItemEmbeddings.separation(unaligned.items()).margin(),
        ItemEmbeddings.separation(aligned.items()).margin(),
        1e-4,
        "a rotation keeps every cosine");
    Map<String, Row> alignedItems = byKey(aligned.items(), "item_id");
    Row cold = alignedItems.get("cold-c0-b");
    assertTrue(cold.getBoolean(cold.fieldIndex(ItemEmbeddingsSchema.FALLBACK)));
    assertTrue(
        dot(vector(cold), vector(reference.get("cold-c0-b"))) > 0.8,
        "a fallback item is placed by its aligned category");
    Map<String, String> params =
        cold.getJavaMap(cold.fieldIndex(ItemEmbeddingsSchema.MODEL_PARAMS));
    assertEquals(DAY.minusDays(1).toString(), params.get("aligned_to"));
    assertEquals("48", params.get("aligned_items"));
  }

  @Test
  void withFewerSharedItemsThanDimensionsTheVectorsStayAsLearned() {
    Dataset<Row> fewItems =
        ItemEmbeddings.compute(events, items, DAY, WORD2VEC)
            .items()
            .where(org.apache.spark.sql.functions.col("item_id").isin("i-0-1", "i-1-1", "i-2-1"));
    EmbeddingParams otherSeed = WORD2VEC.toBuilder().seed(99L).build();
    ItemEmbeddingsResult result =
        ItemEmbeddings.compute(
            events, items, DAY, otherSeed, new ItemEmbeddings.Reference(DAY, fewItems));

    assertFalse(result.alignment().applied());
    assertEquals(3, result.alignment().sharedItems());
    Map<String, Row> unaligned =
        byKey(ItemEmbeddings.compute(events, items, DAY, otherSeed).items(), "item_id");
    for (Map.Entry<String, Row> e : byKey(result.items(), "item_id").entrySet()) {
      assertArrayEquals(vector(unaligned.get(e.getKey())), vector(e.getValue()), e.getKey());
    }
  }

  /** The mean cosine of each learned item's vector in {@code rows} and in {@code reference}. */
  private static double meanCosine(Map<String, Row> rows, Map<String, Row> reference) {
    double sum = 0.0;
    int n = 0;
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (ItemEmbeddingsSchema.SOURCE_LEARNED.equals(source(e.getValue()))) {
        sum += dot(vector(e.getValue()), vector(reference.get(e.getKey())));
        n++;
      }
    }
    return sum / n;
  }

  private static Row item(String id, String category, String published) {
    return RowFactory.create(id, "creator-" + id, category, StateTestRows.ts(published), 0.5);
  }

  private static Map<String, Row> byKey(Dataset<Row> df, String key) {
    Map<String, Row> out = new HashMap<>();
    for (Row row : df.collectAsList()) {
      assertNull(out.put(row.getString(row.fieldIndex(key)), row), "one row per " + key);
    }
    return out;
  }

  private static String source(Row row) {
    return row.getString(row.fieldIndex(ItemEmbeddingsSchema.SOURCE));
  }

  private static float[] vector(Row row) {
    List<Float> values = row.getList(row.fieldIndex(ItemEmbeddingsSchema.EMBEDDING));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
