package dev.kindling.agents.sim;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A published item: its catalog row plus the latent truths the simulated users react to (never
 * logged, never seen by the platform).
 *
 * @param index dense index in publication order
 * @param itemId the item's ID
 * @param creatorId the creator's ID
 * @param category category index in [0, categories)
 * @param publishTs publication time, UTC
 * @param qualityScore the platform's noisy quality estimate at publication, in [0, 1]
 * @param latentQuality true quality in [0, 1]: drives completion, shares and purchases
 * @param attractiveness true click appeal in [0, 1]: drives clicks
 * @param clickbait whether the item is clickbait (attractive, rarely completed)
 */
public record SimItem(
    int index,
    String itemId,
    String creatorId,
    int category,
    Instant publishTs,
    double qualityScore,
    double latentQuality,
    double attractiveness,
    boolean clickbait) {

  /** The name written to the {@code category} column for a category index. */
  public static String categoryName(int category) {
    return String.format("cat%02d", category);
  }

  /** This item's catalog row, matching {@code ItemsSchema.SCHEMA}. */
  public Row toRow() {
    return RowFactory.create(
        itemId, creatorId, categoryName(category), Timestamp.from(publishTs), qualityScore);
  }
}
