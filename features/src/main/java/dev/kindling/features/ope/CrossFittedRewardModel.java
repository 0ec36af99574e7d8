package dev.kindling.features.ope;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * A cross-fitted logistic-regression reward model that adds the DM and DR inputs {@link
 * OffPolicyEstimators#REWARD_HAT} and {@link OffPolicyEstimators#TARGET_REWARD_HAT} to logged rows.
 *
 * <p>Cross-fitting (Chernozhukov et al., "Double/debiased machine learning", Econometrics Journal
 * 2018; used for DR by Narita, Yasui and Yata, AAAI 2019): the rows are split into {@code folds}
 * folds by a seeded hash of {@link #ROW_ID}; the model that predicts a fold's rows is fitted on the
 * other folds only, so no row's correction term {@code r - q(x, a)} is computed with a model that
 * saw that row's reward. Without it an over-fitted model absorbs the rewards and DR degenerates to
 * DM.
 *
 * <p>Inputs: {@code logs} with {@link #ROW_ID} (unique per row), a binary reward {@link
 * OffPolicyEstimators#REWARD} (0 or 1, e.g. a click) and the context and logged-action columns the
 * feature stages read; {@code targetActions} with one row per (logged row, candidate action) under
 * the target policy: {@link #ROW_ID}, {@link OffPolicyEstimators#TARGET_PROBABILITY} of the
 * candidate, and the same context and action columns, filled with the candidate action. Candidates
 * of probability 0 may be left out; a row without candidates gets {@code q_pi = 0}. The feature
 * stages must turn those columns into a vector column {@code featuresColumn} and tolerate values
 * unseen in training (e.g. {@code StringIndexer.setHandleInvalid("keep")}).
 *
 * <p>Cost: {@code folds} MLlib pipeline fits (each several passes over the training folds), one
 * scoring pass over {@code logs} and {@code targetActions}, one shuffle to sum the candidates per
 * row and one join; cache both inputs when they are expensive to recompute.
 */
public final class CrossFittedRewardModel {

  /** Column of the unique row identifier shared by the logs and their target candidates. */
  public static final String ROW_ID = OffPolicyEstimators.ROW_ID;

  private static final String FOLD = "ope_fold";
  private static final String PROBABILITY = "ope_probability";
  private static final String RAW = "ope_raw_prediction";
  private static final String PREDICTION = "ope_prediction";
  private static final String LABEL = "ope_label";
  private static final String CANDIDATE_REWARD_HAT = "ope_candidate_reward_hat";

  /**
   * How the reward model is built.
   *
   * @param featureStages MLlib stages that build {@code featuresColumn} from the input columns
   * @param featuresColumn the vector column the stages produce
   * @param folds number of cross-fitting folds, at least 2
   * @param regParam L2 regularisation of the logistic regression, at least 0
   * @param maxIterations L-BFGS iterations per fit, at least 1; each is one pass over the training
   *     folds
   * @param seed seed of the fold assignment
   */
  public record Spec(
      List<PipelineStage> featureStages,
      String featuresColumn,
      int folds,
      double regParam,
      int maxIterations,
      long seed) {

    /** Validates the fields. */
    public Spec {
      featureStages = List.copyOf(featureStages);
      if (folds < 2) {
        throw new IllegalArgumentException(
            "cross-fitting needs at least 2 folds (a fold is predicted by a model fitted on the"
                + " others), got "
                + folds
                + "; use e.g. 2 or 5");
      }
      if (!(regParam >= 0.0) || Double.isInfinite(regParam)) {
        throw new IllegalArgumentException(
            "regParam must be a finite value >= 0, got " + regParam + "; use e.g. 0.001");
      }
      if (maxIterations < 1) {
        throw new IllegalArgumentException(
            "maxIterations must be at least 1, got " + maxIterations + "; use e.g. 50");
      }
    }
  }

  private CrossFittedRewardModel() {}

  /**
   * {@code logs} with {@link OffPolicyEstimators#REWARD_HAT} and {@link
   * OffPolicyEstimators#TARGET_REWARD_HAT} added, each predicted by the model of the other folds.
   */
  public static Dataset<Row> predict(Dataset<Row> logs, Dataset<Row> targetActions, Spec spec) {
    requireColumns(logs, "logs", ROW_ID, OffPolicyEstimators.REWARD);
    requireColumns(targetActions, "targetActions", ROW_ID, OffPolicyEstimators.TARGET_PROBABILITY);
    Column fold = pmod(xxhash64(col(ROW_ID), lit(spec.seed())), lit((long) spec.folds()));
    Dataset<Row> labelled =
        logs.withColumn(LABEL, col(OffPolicyEstimators.REWARD).cast("double"))
            .withColumn(FOLD, fold);
    Dataset<Row> candidates = targetActions.withColumn(FOLD, fold);
    Dataset<Row> loggedHats = null;
    Dataset<Row> targetHats = null;
    for (int k = 0; k < spec.folds(); k++) {
      PipelineModel model = fit(labelled.where(col(FOLD).notEqual(k)), spec);
      Dataset<Row> logged =
          model
              .transform(labelled.where(col(FOLD).equalTo(k)))
              .select(col(ROW_ID), clickProbability().as(OffPolicyEstimators.REWARD_HAT));
      Dataset<Row> target =
          model
              .transform(candidates.where(col(FOLD).equalTo(k)))
              .select(
                  col(ROW_ID),
                  col(OffPolicyEstimators.TARGET_PROBABILITY)
                      .cast("double")
                      .multiply(clickProbability())
                      .as(CANDIDATE_REWARD_HAT));
      loggedHats = loggedHats == null ? logged : loggedHats.unionByName(logged);
      targetHats = targetHats == null ? target : targetHats.unionByName(target);
    }
    Dataset<Row> expected =
        targetHats
            .groupBy(ROW_ID)
            .agg(sum(col(CANDIDATE_REWARD_HAT)).as(OffPolicyEstimators.TARGET_REWARD_HAT));
    return logs.join(loggedHats, ROW_ID)
        .join(expected, JavaConverters.asScalaBuffer(List.of(ROW_ID)), "left")
        .withColumn(
            OffPolicyEstimators.TARGET_REWARD_HAT,
            coalesce(col(OffPolicyEstimators.TARGET_REWARD_HAT), lit(0.0)));
  }

  private static PipelineModel fit(Dataset<Row> training, Spec spec) {
    LogisticRegression regression =
        new LogisticRegression()
            .setFeaturesCol(spec.featuresColumn())
            .setLabelCol(LABEL)
            .setProbabilityCol(PROBABILITY)
            .setRawPredictionCol(RAW)
            .setPredictionCol(PREDICTION)
            .setRegParam(spec.regParam())
            .setMaxIter(spec.maxIterations())
            .setFamily("binomial");
    List<PipelineStage> stages = new ArrayList<>(spec.featureStages());
    stages.add(regression);
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(training);
  }

  /** The predicted probability of reward 1. */
  private static Column clickProbability() {
    return functions.vector_to_array(col(PROBABILITY), "float64").getItem(1);
  }

  private static void requireColumns(Dataset<Row> df, String what, String... names) {
    List<String> present = Arrays.asList(df.columns());
    for (String name : names) {
      if (!present.contains(name)) {
        throw new IllegalArgumentException(
            what
                + " lack the column '"
                + name
                + "' the reward model needs; columns present: "
                + present
                + "; add it (see CrossFittedRewardModel's Javadoc for the layout)");
      }
    }
  }
}
