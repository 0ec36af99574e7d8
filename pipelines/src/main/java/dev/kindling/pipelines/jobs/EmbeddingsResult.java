package dev.kindling.pipelines.jobs;

import dev.kindling.features.embeddings.CategorySeparation;
import dev.kindling.features.embeddings.ItemEmbeddings;
import java.time.LocalDate;

/**
 * What one {@link EmbeddingsJob} run wrote.
 *
 * @param model the model's config name
 * @param items rows written to {@code item_embeddings}: every catalog item of the run date
 * @param learnedItems of those, the items with a vector of their own
 * @param categories rows written to {@code category_embeddings}
 * @param separation how well the learned vectors separate categories; null with fewer than two
 *     learned items
 * @param alignment how the vectors were rotated onto the day before's; null without a partition
 *     before D
 * @param seconds wall time of the fit and both writes
 */
public record EmbeddingsResult(
    LocalDate runDate,
    String model,
    long items,
    long learnedItems,
    long categories,
    CategorySeparation separation,
    ItemEmbeddings.Alignment alignment,
    long itemVersion,
    long categoryVersion,
    double seconds) {

  @Override
  public String toString() {
    return String.format(
        "embeddings %s: %s vectors for %d items in item_embeddings (%d learned, %d from their"
            + " category), %d categories in category_embeddings; %s; %s; %.1f s",
        runDate,
        model,
        items,
        learnedItems,
        items - learnedItems,
        categories,
        separation == null ? "too few learned items to measure separation" : separation,
        alignment == null ? "no earlier partition to align to" : alignment,
        seconds);
  }
}
