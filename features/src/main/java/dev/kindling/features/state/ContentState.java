package dev.kindling.features.state;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The per-item content state of {@link ContentStateSchema}: lifetime exposure and engagement,
 * smoothed rates, fraud and cold-start flags, each defined on its column constant there.
 */
public final class ContentState {

  private static final double SECONDS_PER_DAY = 86_400.0;

  // Working columns; none survives into the output.
  private static final String TODAY_COMPLETIONS = "_today_completions";
  private static final String TODAY_SHARES = "_today_shares";
  private static final String TODAY_HEATED = "_today_heated";
  private static final String TODAY_PURCHASE = "_today_purchase";
  private static final String CARRIED_EXPOSURE = "_carried_exposure";
  private static final String CARRIED_CLICKS = "_carried_clicks";
  private static final String CARRIED_COMPLETIONS = "_carried_completions";
  private static final String CARRIED_SHARES = "_carried_shares";
  private static final String CARRIED_HEATED = "_carried_heated";
  private static final String CARRIED_PURCHASE = "_carried_purchase";

  private ContentState() {}

  /**
   * The content state after {@code runDate} of every item published before its end that is younger
   * than {@code contentHorizonDays} or has lifetime exposure.
   *
   * <p>Costs: one aggregation of the day's events by {@code item_id} (one shuffle of partial
   * counts), one shuffle each of {@code items} and {@code previousContentState} by {@code item_id}
   * for a three-way sort-merge join, then one shuffle of the joined rows by {@code category} for
   * the category totals (a window: each category is one task's partition, so the largest category
   * bounds that task). Every input is scanned once.
   *
   * <p>Preconditions: {@code eventsOfDay} follow {@link EventsSchema#SCHEMA} and are validated;
   * only their rows dated {@code runDate} count. {@code items} follow {@link ItemsSchema#SCHEMA}
   * with one row per item. {@code previousContentState} follows {@link ContentStateSchema#SCHEMA},
   * is the single partition of the latest date before {@code runDate} (one row per item) or empty;
   * rows dated {@code runDate} or later are ignored, and items no longer in {@code items} are
   * dropped.
   *
   * @return rows of {@link ContentStateSchema#SCHEMA}, one per item, {@code dt = runDate}
   */
  public static Dataset<Row> compute(
      Dataset<Row> eventsOfDay,
      Dataset<Row> items,
      Dataset<Row> previousContentState,
      LocalDate runDate,
      FeatureParams p) {
    Column runDt = lit(Date.valueOf(runDate));
    long endOfDay = runDate.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    Dataset<Row> today =
        eventsOfDay
            .where(col(EventsSchema.DT).equalTo(runDt))
            .groupBy(EventsSchema.ITEM_ID)
            .agg(
                count(lit(1)).as(ContentStateSchema.EXPOSURE_TODAY),
                count(when(col(EventsSchema.CLICKED), 1)).as(ContentStateSchema.CLICKS_TODAY),
                count(when(col(EventsSchema.COMPLETED), 1)).as(TODAY_COMPLETIONS),
                count(when(col(EventsSchema.SHARED), 1)).as(TODAY_SHARES),
                count(when(col(EventsSchema.HEATED), 1)).as(TODAY_HEATED),
                sum(coalesce(col(EventsSchema.PURCHASE_AMOUNT), lit(0.0))).as(TODAY_PURCHASE));

    Dataset<Row> carried =
        previousContentState
            .where(col(ContentStateSchema.DT).lt(runDt))
            .select(
                col(ContentStateSchema.ITEM_ID),
                col(ContentStateSchema.EXPOSURE).as(CARRIED_EXPOSURE),
                col(ContentStateSchema.CLICKS).as(CARRIED_CLICKS),
                col(ContentStateSchema.COMPLETIONS).as(CARRIED_COMPLETIONS),
                col(ContentStateSchema.SHARES).as(CARRIED_SHARES),
                col(ContentStateSchema.HEATED_EXPOSURE).as(CARRIED_HEATED),
                col(ContentStateSchema.PURCHASE_AMOUNT).as(CARRIED_PURCHASE));

    Dataset<Row> catalog =
        items
            .where(
                col(ItemsSchema.PUBLISH_TS)
                    .lt(lit(Timestamp.from(Instant.ofEpochSecond(endOfDay)))))
            .select(
                col(ItemsSchema.ITEM_ID),
                col(ItemsSchema.CREATOR_ID),
                col(ItemsSchema.CATEGORY),
                col(ItemsSchema.PUBLISH_TS),
                col(ItemsSchema.QUALITY_SCORE),
                lit((double) endOfDay)
                    .minus(col(ItemsSchema.PUBLISH_TS).cast(DataTypes.DoubleType))
                    .divide(SECONDS_PER_DAY)
                    .as(ContentStateSchema.AGE_DAYS));

    Dataset<Row> lifetime =
        catalog
            .join(today, ItemsSchema.ITEM_ID, "left")
            .join(carried, ItemsSchema.ITEM_ID, "left")
            .select(
                col(ItemsSchema.ITEM_ID),
                col(ItemsSchema.CREATOR_ID),
                col(ItemsSchema.CATEGORY),
                col(ItemsSchema.PUBLISH_TS),
                col(ItemsSchema.QUALITY_SCORE),
                col(ContentStateSchema.AGE_DAYS),
                total(CARRIED_EXPOSURE, ContentStateSchema.EXPOSURE_TODAY, lit(0L))
                    .as(ContentStateSchema.EXPOSURE),
                total(CARRIED_CLICKS, ContentStateSchema.CLICKS_TODAY, lit(0L))
                    .as(ContentStateSchema.CLICKS),
                total(CARRIED_COMPLETIONS, TODAY_COMPLETIONS, lit(0L))
                    .as(ContentStateSchema.COMPLETIONS),
                total(CARRIED_SHARES, TODAY_SHARES, lit(0L)).as(ContentStateSchema.SHARES),
                total(CARRIED_HEATED, TODAY_HEATED, lit(0L)).as(ContentStateSchema.HEATED_EXPOSURE),
                total(CARRIED_PURCHASE, TODAY_PURCHASE, lit(0.0))
                    .as(ContentStateSchema.PURCHASE_AMOUNT),
                coalesce(col(ContentStateSchema.EXPOSURE_TODAY), lit(0L))
                    .as(ContentStateSchema.EXPOSURE_TODAY),
                coalesce(col(ContentStateSchema.CLICKS_TODAY), lit(0L))
                    .as(ContentStateSchema.CLICKS_TODAY))
            .where(
                col(ContentStateSchema.AGE_DAYS)
                    .lt(p.contentHorizonDays())
                    .or(col(ContentStateSchema.EXPOSURE).gt(0L)));

    // Category totals by a window rather than a groupBy joined back: the groupBy's branch would be
    // pruned differently from the main one, so Spark would scan and shuffle every input twice.
    WindowSpec byCategory = Window.partitionBy(ItemsSchema.CATEGORY);
    Column categoryExposure = sum(col(ContentStateSchema.EXPOSURE)).over(byCategory);
    Column categoryClicks = sum(col(ContentStateSchema.CLICKS)).over(byCategory);
    Column categoryCompletions = sum(col(ContentStateSchema.COMPLETIONS)).over(byCategory);
    Dataset<Row> withCategory =
        lifetime
            .withColumn(
                ContentStateSchema.CTR_CATEGORY, ratioOrZero(categoryClicks, categoryExposure))
            .withColumn(
                ContentStateSchema.COMPLETION_RATE_CATEGORY,
                ratioOrZero(categoryCompletions, categoryClicks));

    Column exposure = col(ContentStateSchema.EXPOSURE);
    Column clicks = col(ContentStateSchema.CLICKS);
    Column ctrCategory = col(ContentStateSchema.CTR_CATEGORY);
    Column completionCategory = col(ContentStateSchema.COMPLETION_RATE_CATEGORY);
    Column ctrSmoothed =
        clicks
            .plus(ctrCategory.multiply(p.ctrPriorStrength()))
            .divide(exposure.plus(p.ctrPriorStrength()));
    Column completionSmoothed =
        col(ContentStateSchema.COMPLETIONS)
            .plus(completionCategory.multiply(p.completionPriorStrength()))
            .divide(clicks.plus(p.completionPriorStrength()));
    Column clickInflation =
        when(
            ctrCategory.gt(0.0).and(completionCategory.gt(0.0)),
            ctrSmoothed.divide(ctrCategory).divide(completionSmoothed.divide(completionCategory)));
    Column clickInflationColumn = col(ContentStateSchema.CLICK_INFLATION);

    return withCategory
        .withColumn(ContentStateSchema.CLICK_INFLATION, clickInflation)
        .select(
            col(ContentStateSchema.ITEM_ID),
            col(ContentStateSchema.CREATOR_ID),
            col(ContentStateSchema.CATEGORY),
            runDt.as(ContentStateSchema.DT),
            col(ContentStateSchema.PUBLISH_TS),
            col(ContentStateSchema.QUALITY_SCORE),
            col(ContentStateSchema.AGE_DAYS),
            exposure,
            clicks,
            col(ContentStateSchema.COMPLETIONS),
            col(ContentStateSchema.SHARES),
            col(ContentStateSchema.HEATED_EXPOSURE),
            col(ContentStateSchema.PURCHASE_AMOUNT),
            col(ContentStateSchema.EXPOSURE_TODAY),
            col(ContentStateSchema.CLICKS_TODAY),
            ctrCategory,
            completionCategory,
            coalesce(ctrSmoothed, lit(0.0)).as(ContentStateSchema.CTR_SMOOTHED),
            when(clicks.gt(0L), col(ContentStateSchema.COMPLETIONS).divide(clicks))
                .as(ContentStateSchema.COMPLETION_RATE),
            when(clicks.gt(0L), col(ContentStateSchema.SHARES).divide(clicks))
                .as(ContentStateSchema.SHARE_RATE),
            clickInflationColumn,
            coalesce(
                    clickInflationColumn
                        .geq(p.clickInflationThreshold())
                        .and(clicks.geq(p.fraudMinClicks())),
                    lit(false))
                .as(ContentStateSchema.IS_FRAUD_SUSPECT),
            col(ContentStateSchema.AGE_DAYS)
                .lt(p.coldMaxAgeDays())
                .or(exposure.lt(p.coldMinExposure()))
                .as(ContentStateSchema.IS_COLD));
  }

  /** The carried lifetime value plus the day's, each absent one counting as {@code zero}. */
  private static Column total(String carriedColumn, String todayColumn, Column zero) {
    return coalesce(col(carriedColumn), zero).plus(coalesce(col(todayColumn), zero));
  }

  /** {@code numerator / denominator}, or 0 when the denominator is 0. */
  private static Column ratioOrZero(Column numerator, Column denominator) {
    return coalesce(
        when(denominator.gt(0L), numerator.divide(denominator)).otherwise(0.0), lit(0.0));
  }
}
