package dev.kindling.agents.sim;

import java.util.List;

/**
 * The ranking feature vector every scenario's linear ranker scores a candidate with: score = the
 * dot product of the ranking weights (the logged {@code action}) with these features, in this
 * order. Each feature lies in [0, 1]. The order is part of the log contract: {@code action[i]}
 * weighs feature {@code i}.
 */
public final class RankingFeatures {

  /** Share of the user's observed clicks in the candidate's category, relative to the top one. */
  public static final String RELEVANCE = "relevance";

  /** The platform's popularity of the item: log clicks so far, relative to the most clicked. */
  public static final String POPULARITY = "popularity";

  /** Decays with the item's age in days since publication. */
  public static final String FRESHNESS = "freshness";

  /** 1 / (1 + the user's observed clicks in the candidate's category). */
  public static final String NOVELTY = "novelty";

  /** The platform's estimate of the item's quality (smoothed completion rate), not the truth. */
  public static final String QUALITY_ESTIMATE = "quality_estimate";

  /** 1 when the item is in today's heating pool, else 0. */
  public static final String HEATED = "heated";

  /** Feature names, in vector order. */
  public static final List<String> NAMES =
      List.of(RELEVANCE, POPULARITY, FRESHNESS, NOVELTY, QUALITY_ESTIMATE, HEATED);

  public static final int RELEVANCE_INDEX = 0;
  public static final int POPULARITY_INDEX = 1;
  public static final int FRESHNESS_INDEX = 2;
  public static final int NOVELTY_INDEX = 3;
  public static final int QUALITY_ESTIMATE_INDEX = 4;
  public static final int HEATED_INDEX = 5;

  /** Length of the feature vector and of the {@code action} weights. */
  public static final int COUNT = NAMES.size();

  private RankingFeatures() {}
}
