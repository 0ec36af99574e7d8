package dev.kindling.features.content;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;

import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The content agent's value function: one MLlib random forest, shared by all items, that predicts
 * {@link ColdStartFeatures#VALUE_PER_IMPRESSION} (next-day true engagement per impression, net of
 * the heating cost) from {@link ColdStartFeatures#STATE_FEATURES}, each transition weighted by its
 * next-day impressions. The uncertainty of a prediction is the standard deviation of the forest's
 * trees' predictions for the item (the spread of a bootstrap ensemble). With too few transitions
 * the value comes from {@link #prior} instead.
 */
public final class ContentValueLearner {

  private static final String FEATURES = "_features";

  private ContentValueLearner() {}

  /**
   * Fits the forest on {@code transitions} (rows of {@link ColdStartFeatures#transitions}), seeded
   * and sorted by item and day first so a re-run on the same rows gives the same forest.
   *
   * <p>Cost: a sort of the transitions (one shuffle), then MLlib's forest training: about {@code
   * maxDepth} passes over the (cached by MLlib) rows.
   */
  public static RandomForestRegressionModel fit(Dataset<Row> transitions, ColdStartParams p) {
    Dataset<Row> ordered =
        assembler()
            .transform(transitions.orderBy(ContentStateSchema.ITEM_ID, ContentStateSchema.DT));
    return new RandomForestRegressor()
        .setFeaturesCol(FEATURES)
        .setLabelCol(ColdStartFeatures.VALUE_PER_IMPRESSION)
        .setWeightCol(ColdStartFeatures.EXPOSURE_NEXT)
        .setNumTrees(p.numTrees())
        .setMaxDepth(p.maxDepth())
        .setFeatureSubsetStrategy("onethird")
        .setSeed(p.seed())
        .fit(ordered);
  }

  /**
   * {@code states} (rows of {@link ColdStartFeatures#states}) with {@code predicted_value} (the
   * forest's mean), {@code uncertainty} (the trees' standard deviation) and a null {@link
   * ColdStartFeatures#VALUE_REASON}. No shuffle; each row is scored by every tree in a UDF.
   */
  public static Dataset<Row> predict(
      RandomForestRegressionModel model, Dataset<Row> states, ColdStartParams p) {
    DecisionTreeRegressionModel[] trees = model.trees();
    UserDefinedFunction spread =
        functions.udf((UDF1<Vector, Double>) v -> treeSpread(trees, v), DataTypes.DoubleType);
    String prediction = "_prediction";
    Dataset<Row> scored =
        model
            .setFeaturesCol(FEATURES)
            .setPredictionCol(prediction)
            .transform(assembler().transform(states));
    return scored
        .withColumn(ColdStartScoresSchema.PREDICTED_VALUE, col(prediction))
        .withColumn(ColdStartScoresSchema.UNCERTAINTY, spread.apply(col(FEATURES)))
        .withColumn(ColdStartFeatures.VALUE_REASON, lit(null).cast(DataTypes.StringType))
        .drop(FEATURES, prediction);
  }

  /**
   * The documented fallback when there are fewer than {@code minTransitions} transitions: {@code
   * predicted_value = engagement_rate_smoothed - heatingCost}, the item's engagement per impression
   * shrunk toward its category's, and {@code uncertainty = sqrt(engagement_rate_smoothed /
   * (exposure + engagementPriorStrength))}, the Poisson standard error of that rate. The reason
   * names the fallback and the transition count. No shuffle.
   */
  public static Dataset<Row> prior(Dataset<Row> states, long transitions, ColdStartParams p) {
    Column rate = col(ColdStartFeatures.ENGAGEMENT_RATE_SMOOTHED);
    return states
        .withColumn(ColdStartScoresSchema.PREDICTED_VALUE, rate.minus(p.heatingCost()))
        .withColumn(
            ColdStartScoresSchema.UNCERTAINTY,
            sqrt(rate.divide(col(ContentStateSchema.EXPOSURE).plus(p.engagementPriorStrength()))))
        .withColumn(
            ColdStartFeatures.VALUE_REASON,
            lit(
                "category prior: "
                    + transitions
                    + " transitions in the window, fewer than the "
                    + p.minTransitions()
                    + " the learner needs"));
  }

  /** The population standard deviation of the trees' predictions for one feature vector. */
  static double treeSpread(DecisionTreeRegressionModel[] trees, Vector features) {
    double sum = 0;
    double sumSquares = 0;
    for (DecisionTreeRegressionModel tree : trees) {
      double y = tree.predict(features);
      sum += y;
      sumSquares += y * y;
    }
    double mean = sum / trees.length;
    return Math.sqrt(Math.max(0.0, sumSquares / trees.length - mean * mean));
  }

  private static VectorAssembler assembler() {
    return new VectorAssembler()
        .setInputCols(ColdStartFeatures.STATE_FEATURES.toArray(String[]::new))
        .setOutputCol(FEATURES);
  }
}
