package dev.kindling.agents.loop;

/**
 * A user's start-of-day mind state as the replay stage reads it: the columns of the user's latest
 * {@code user_mind_state} row before the day that the observation's start-of-day block uses.
 *
 * @param exploitationScore {@code exploitation_score}
 * @param curiosity {@code curiosity}
 * @param fatigue {@code fatigue}
 * @param satisfaction {@code satisfaction}
 * @param interestBreadth {@code interest_breadth}
 * @param interestEntropy {@code interest_entropy}
 * @param daysActive {@code days_active}
 * @param inProtectionPeriod {@code in_protection_period}
 */
public record StartOfDayState(
    double exploitationScore,
    double curiosity,
    double fatigue,
    double satisfaction,
    int interestBreadth,
    double interestEntropy,
    int daysActive,
    boolean inProtectionPeriod) {}
