package dev.kindling.features.embeddings;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link ItemEmbeddings#compute} returns: the rows of both tables, lazy.
 *
 * @param items {@code item_embeddings} rows, one per catalog item
 * @param categories {@code category_embeddings} rows, one per catalog category
 * @param alignment how the learned vectors were rotated onto the reference's; null without one
 */
public record ItemEmbeddingsResult(
    Dataset<Row> items, Dataset<Row> categories, ItemEmbeddings.Alignment alignment) {

  public ItemEmbeddingsResult {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(categories, "categories");
  }
}
