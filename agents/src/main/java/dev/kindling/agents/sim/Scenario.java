package dev.kindling.agents.sim;

/** A ranking scenario: one ranker (one MA-RDPG agent) with its own candidate set and slate. */
public enum Scenario {
  /** The home feed: popular, fresh and observed-affinity items. */
  FEED("feed"),
  /** A search: items of one query category. */
  SEARCH("search"),
  /** An item's detail page: items of the category of the item just clicked. */
  DETAIL("detail");

  private final String logName;

  Scenario(String logName) {
    this.logName = logName;
  }

  /** The value written to the {@code scenario} column. */
  public String logName() {
    return logName;
  }
}
