package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;

import dev.kindling.features.embeddings.CategorySeparation;
import dev.kindling.features.embeddings.EmbeddingParams;
import dev.kindling.features.embeddings.ItemEmbeddings;
import dev.kindling.features.embeddings.ItemEmbeddingsResult;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code embeddings} stage: learns item vectors from the clicks of the validated events of the
 * trailing window (MLlib Word2Vec or implicit ALS, {@code embeddings.model}) and writes the run
 * date's {@code item_embeddings} (every catalog item; an item with too few clicks carries its
 * category's vector, flagged) and {@code category_embeddings} partitions. Re-running a date
 * replaces both; the model is seeded and its input ordered, so a re-run writes the same vectors.
 *
 * <p>The vectors are rotated onto those of the latest partition before D ({@link
 * ItemEmbeddings#compute(Dataset, Dataset, LocalDate, EmbeddingParams, ItemEmbeddings.Reference)}),
 * which were rotated onto theirs, so every day's vectors share one basis and the encoder trained on
 * a window of replay days, each built with the vectors of its day before, reads them alike. A
 * re-run of D reads the same reference and writes the same vectors; a backfill must run dates in
 * order (a date run before its predecessor exists starts a basis of its own).
 *
 * <p>Cost: one scan of the window's validated events; the fit (Word2Vec collects the vocabulary and
 * trains in one partition; ALS shuffles the user × item matrix per iteration); two Delta partition
 * overwrites; one read of the written items to measure category separation.
 */
public final class EmbeddingsJob {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingsJob.class);
  private static final String STAGE = "embeddings";

  private final SparkSession spark;
  private final EmbeddingsConfig config;

  public EmbeddingsJob(SparkSession spark, EmbeddingsConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public EmbeddingsResult run() {
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    try (RunLease lease = lakehouse.lease(STAGE, config.runDate())) {
      return runLeased(lakehouse);
    }
  }

  private EmbeddingsResult runLeased(Lakehouse lakehouse) {
    long start = System.nanoTime();
    LocalDate day = config.runDate();
    EmbeddingParams p = config.params();
    JobGroups.run(
        spark,
        STAGE,
        "check inputs",
        () -> {
          ReferenceTables.requireValidated(lakehouse, day, STAGE);
          return null;
        });
    Dataset<Row> window =
        lakehouse.read(Table.VALIDATED_EVENTS, day.minusDays(p.windowDays() - 1L), day);
    Dataset<Row> catalog = ReferenceTables.catalog(lakehouse, STAGE);
    ItemEmbeddings.Reference reference =
        lakehouse
            .latestDateBefore(Table.ITEM_EMBEDDINGS, day)
            .map(
                before ->
                    new ItemEmbeddings.Reference(
                        before, lakehouse.read(Table.ITEM_EMBEDDINGS, before)))
            .orElse(null);
    ItemEmbeddingsResult computed =
        JobGroups.run(
            spark,
            STAGE,
            "fit " + p.model().configName(),
            () -> ItemEmbeddings.compute(window, catalog, day, p, reference));
    if (computed.alignment() == null) {
      LOG.info(
          "embeddings {}: no item_embeddings partition before {}, so the vectors start a basis of"
              + " their own",
          day,
          day);
    } else if (!computed.alignment().applied()) {
      LOG.warn(
          "embeddings {}: {}; the vectors are in a basis of their own, and an encoder trained on"
              + " earlier days' vectors reads them as another space. Widen embeddings.window-days"
              + " or lower embeddings.min-clicks so that more items are learned on both days.",
          day,
          computed.alignment());
    }
    Lakehouse.PartitionWrite itemWrite =
        JobGroups.run(
            spark,
            STAGE,
            "write item_embeddings",
            () -> lakehouse.replacePartition(Table.ITEM_EMBEDDINGS, day, computed.items()));
    Lakehouse.PartitionWrite categoryWrite =
        JobGroups.run(
            spark,
            STAGE,
            "write category_embeddings",
            () ->
                lakehouse.replacePartition(Table.CATEGORY_EMBEDDINGS, day, computed.categories()));
    Dataset<Row> written = lakehouse.read(Table.ITEM_EMBEDDINGS, day);
    CategorySeparation separation =
        JobGroups.run(
            spark, STAGE, "measure category separation", () -> ItemEmbeddings.separation(written));
    long learned =
        separation != null
            ? separation.learnedItems()
            : written
                .where(
                    col(ItemEmbeddingsSchema.SOURCE).equalTo(ItemEmbeddingsSchema.SOURCE_LEARNED))
                .count();
    if (learned == 0) {
      LOG.warn(
          "embeddings {}: no item has {} clicks in the {} days to {}, so every item carries the"
              + " zero vector (source 'none'). Lower embeddings.min-clicks, or widen"
              + " embeddings.window-days, if the platform's click volume is that low.",
          day,
          p.minClicks(),
          p.windowDays(),
          day);
    }
    EmbeddingsResult out =
        new EmbeddingsResult(
            day,
            p.model().configName(),
            itemWrite.rows(),
            learned,
            categoryWrite.rows(),
            separation,
            computed.alignment(),
            itemWrite.version(),
            categoryWrite.version(),
            (System.nanoTime() - start) / 1e9);
    LOG.info("{}", out);
    return out;
  }
}
