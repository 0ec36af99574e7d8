package dev.kindling.agents.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated user's mutable state: latent interests and mind state (hidden from the platform) and
 * what the platform observes of the user. Owned by one worker thread at a time.
 */
final class UserState {

  final SimUser user;
  final long signupEpochDay;

  /** Latent category interests, summing to 1. */
  final double[] latentInterest;

  /** Latent interest of each category relative to the user's top one, in [0, 1]. */
  final double[] relativeInterest;

  /** The user's baseline curiosity, which curiosity drifts back to overnight. */
  final double baseCuriosity;

  double curiosity;
  double fatigue;
  double satisfaction;

  /** Platform-observed click counts per category, decayed nightly. */
  final float[] observedAffinity;

  /** Platform-observed recent clicks (item indices), oldest first. */
  final int[] recentClicks;

  int recentClickCount;
  int lastShownCategory = -1;
  int shownCategoryRun;

  UserState(SimUser user, long signupEpochDay, double[] latentInterest, double baseCuriosity) {
    this.user = user;
    this.signupEpochDay = signupEpochDay;
    this.latentInterest = latentInterest;
    double top = 0;
    for (double v : latentInterest) {
      top = Math.max(top, v);
    }
    this.relativeInterest = new double[latentInterest.length];
    for (int c = 0; c < latentInterest.length; c++) {
      relativeInterest[c] = top > 0 ? latentInterest[c] / top : 0;
    }
    this.baseCuriosity = baseCuriosity;
    this.curiosity = baseCuriosity;
    this.observedAffinity = new float[latentInterest.length];
    this.recentClicks = new int[Simulator.RECENT_CLICKS_KEPT];
  }

  void recordClick(int itemIndex, int category) {
    observedAffinity[category] += 1f;
    if (recentClickCount == recentClicks.length) {
      System.arraycopy(recentClicks, 1, recentClicks, 0, recentClicks.length - 1);
      recentClickCount--;
    }
    recentClicks[recentClickCount++] = itemIndex;
  }

  List<String> recentClickedItemIds(List<SimItem> items) {
    List<String> ids = new ArrayList<>(recentClickCount);
    for (int i = 0; i < recentClickCount; i++) {
      ids.add(items.get(recentClicks[i]).itemId());
    }
    return ids;
  }

  /** The category with most observed clicks, or -1 without any. */
  int topObservedCategory() {
    int best = -1;
    float bestValue = 0f;
    for (int c = 0; c < observedAffinity.length; c++) {
      if (observedAffinity[c] > bestValue) {
        bestValue = observedAffinity[c];
        best = c;
      }
    }
    return best;
  }
}
