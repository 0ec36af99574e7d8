package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link EncoderAblationJob} measured: per seed, the two arms side by side. {@link #toString}
 * is the table the command prints.
 *
 * @param seeds one entry per seed, in the order run
 */
public record EncoderAblationResult(List<Seed> seeds) {

  public EncoderAblationResult {
    seeds = List.copyOf(seeds);
  }

  /**
   * One seed's pair of arms.
   *
   * @param seed the world's seed
   * @param sameDataDay the last warm-up day, whose logs both arms share: the off-policy day
   * @param firstLoopDate the first loop day
   * @param lastDate the last loop day
   * @param arms by arm name, the plain arm first
   */
  public record Seed(
      long seed,
      LocalDate sameDataDay,
      LocalDate firstLoopDate,
      LocalDate lastDate,
      Map<String, Arm> arms) {
    public Seed {
      arms = Collections.unmodifiableMap(new LinkedHashMap<>(arms));
    }

    public Arm plain() {
      return arms.get(EncoderAblationJob.PLAIN);
    }

    public Arm encoder() {
      return arms.get(EncoderAblationJob.ENCODER);
    }
  }

  /**
   * One arm's figures.
   *
   * @param name the arm's name
   * @param encoder whether its policy reads the encoder
   * @param ran whether this run simulated it (false: a complete earlier run was reused)
   * @param loopDays loop days with metrics
   * @param loopMeans per {@link EncoderAblationJob#LOOP_METRICS} metric, the mean of its non-null
   *     daily values; null when none
   * @param candidate per off-policy figure, the candidate's estimate on the same-data day
   * @param logging the logging policy's DR reward per step on that day: equal across the arms when
   *     their data are
   * @param gatesPassed nights, from the same-data day to the day before the last loop day, whose
   *     candidate the gate let through
   * @param gates nights evaluated in that range
   */
  public record Arm(
      String name,
      boolean encoder,
      boolean ran,
      int loopDays,
      Map<String, Double> loopMeans,
      Map<EncoderAblationJob.Figure, Estimate> candidate,
      Estimate logging,
      int gatesPassed,
      int gates) {
    public Arm {
      loopMeans = Collections.unmodifiableMap(new LinkedHashMap<>(loopMeans));
      candidate = Collections.unmodifiableMap(new LinkedHashMap<>(candidate));
    }
  }

  /** An estimate and its interval; any part null when {@code evaluate} wrote none. */
  public record Estimate(Double value, Double lower, Double upper) {
    @Override
    public String toString() {
      if (value == null) {
        return "n/a";
      }
      if (lower == null || upper == null) {
        return String.format("%.5f", value);
      }
      return String.format("%.5f [%.5f, %.5f]", value, lower, upper);
    }
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "encoder ablation: arms %s (replay.encoder.enabled=false) and %s (true)%n",
            EncoderAblationJob.PLAIN, EncoderAblationJob.ENCODER));
    for (Seed seed : seeds) {
      Arm plain = seed.plain();
      Arm encoder = seed.encoder();
      out.append(
          String.format(
              "%nseed %d: loop days %s..%s (%s: %s, %s: %s)%n",
              seed.seed(),
              seed.firstLoopDate(),
              seed.lastDate(),
              plain.name(),
              plain.ran() ? "run now" : "reused",
              encoder.name(),
              encoder.ran() ? "run now" : "reused"));
      out.append(
          String.format(
              "  off-policy, the candidate of %s on that day's logs (the same in both arms):%n",
              seed.sameDataDay()));
      out.append(row("", plain.name(), encoder.name()));
      for (EncoderAblationJob.Figure figure : EncoderAblationJob.OFF_POLICY_FIGURES) {
        out.append(
            row(
                figure.toString(),
                String.valueOf(
                    plain.candidate().getOrDefault(figure, new Estimate(null, null, null))),
                String.valueOf(
                    encoder.candidate().getOrDefault(figure, new Estimate(null, null, null)))));
      }
      out.append(
          row(
              "logging reward_per_step DR",
              String.valueOf(plain.logging()),
              String.valueOf(encoder.logging())));
      out.append(
          String.format(
              "  closed loop, mean over the loop days (%d and %d days measured):%n",
              plain.loopDays(), encoder.loopDays()));
      out.append(row("", plain.name(), encoder.name(), "difference"));
      for (String metric : EncoderAblationJob.LOOP_METRICS) {
        Double a = plain.loopMeans().get(metric);
        Double b = encoder.loopMeans().get(metric);
        out.append(
            row(
                metric,
                format(a),
                format(b),
                a == null || b == null ? "n/a" : String.format("%+.5f", b - a)));
      }
      out.append(
          row(
              "gate passed (nights)",
              plain.gatesPassed() + "/" + plain.gates(),
              encoder.gatesPassed() + "/" + encoder.gates()));
    }
    return out.toString();
  }

  private static String format(Double value) {
    return value == null ? "n/a" : String.format("%.5f", value);
  }

  private static String row(String label, String... cells) {
    StringBuilder out = new StringBuilder(String.format("    %-34s", label));
    for (String cell : cells) {
      out.append(String.format(" %-30s", cell));
    }
    return out.toString().stripTrailing() + System.lineSeparator();
  }
}
