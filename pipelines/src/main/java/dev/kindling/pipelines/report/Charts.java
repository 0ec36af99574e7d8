package dev.kindling.pipelines.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn with JFreeChart into SVG text (JFreeSVG) for inline use; runs with
 * {@code java.awt.headless=true}, which this class sets when nothing else did. Text in the SVG
 * (titles, legends, labels) is XML-escaped by JFreeSVG. Each chart's SVG ids carry its own prefix,
 * so that many charts share one HTML document.
 */
final class Charts {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int WIDTH = 1000;
  static final int LINE_HEIGHT = 380;
  static final int LORENZ_WIDTH = 760;
  static final int LORENZ_HEIGHT = 560;
  static final int INTERVAL_HEIGHT = 420;

  private static final String FONT = "SansSerif";
  private static final int TITLE_SIZE = 16;
  private static final int LABEL_SIZE = 13;
  private static final int TICK_SIZE = 11;
  private static final float LINE_WIDTH = 2f;
  private static final double DOT = 7;
  private static final int MAX_DATE_TICKS = 10;
  private static final double DODGE = 0.12;
  private static final double CAP_LENGTH = 10;
  private static final double DATE_MARGIN = 0.04;
  private static final RectangleInsets PADDING = new RectangleInsets(8, 8, 8, 24);
  private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  private static final Color DIAGONAL = new Color(0x88, 0x88, 0x88);

  private static final Map<String, Color> POLICY_COLOURS =
      Map.of(
          "popularity", new Color(0xD6, 0x27, 0x28),
          "epsilon", new Color(0xE0, 0x8A, 0x00),
          "kindling", new Color(0x1F, 0x77, 0xB4),
          "logging", new Color(0x33, 0x33, 0x33),
          "candidate", new Color(0x2C, 0xA0, 0x2C),
          "published", new Color(0x94, 0x67, 0xBD));

  private static final Color[] OTHER_COLOURS = {
    new Color(0x8C, 0x56, 0x4B),
    new Color(0xE3, 0x77, 0xC2),
    new Color(0x17, 0xBE, 0xCF),
    new Color(0xBC, 0xBD, 0x22),
    new Color(0x7F, 0x7F, 0x7F)
  };

  private static final float[][] DASHES = {null, {8f, 4f}, {2f, 3f}, {10f, 3f, 2f, 3f}};

  /** One line of a chart: its legend key, the policy (its colour) and the seed's rank (dash). */
  record Line(String key, String policy, int seedRank, Map<LocalDate, Double> points) {}

  /** One curve of the Lorenz chart: x and y in percent. */
  record Curve(String key, String policy, double[] x, double[] y) {}

  /** One dot with whiskers: the policy's estimate by one estimator. */
  record Estimate(String estimator, String policy, double value, double lower, double upper) {}

  private Charts() {}

  /** A line chart of one metric over days, one line per entry of {@code lines}. */
  static String overDays(String id, String title, MetricLabels.Info info, List<Line> lines) {
    TimeSeriesCollection dataset = new TimeSeriesCollection();
    int days = 0;
    for (Line line : lines) {
      TimeSeries series = new TimeSeries(line.key());
      line.points()
          .forEach(
              (day, value) -> {
                if (value != null) {
                  series.addOrUpdate(
                      new Day(day.getDayOfMonth(), day.getMonthValue(), day.getYear()), value);
                }
              });
      days = Math.max(days, series.getItemCount());
      dataset.addSeries(series);
    }
    DateAxis x = new DateAxis("day");
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd", Locale.ROOT);
    x.setDateFormatOverride(format);
    x.setTickUnit(
        new DateTickUnit(
            DateTickUnitType.DAY, Math.max(1, (days + MAX_DATE_TICKS - 1) / MAX_DATE_TICKS)));
    x.setLowerMargin(DATE_MARGIN);
    x.setUpperMargin(DATE_MARGIN);
    NumberAxis y = valueAxis(info);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      renderer.setSeriesPaint(i, colour(line.policy(), i));
      renderer.setSeriesStroke(i, stroke(line.seedRank()));
      renderer.setSeriesShape(i, dot());
    }
    XYPlot plot = new XYPlot(dataset, x, y, renderer);
    return svg(id, chart(title, plot), WIDTH, LINE_HEIGHT);
  }

  /** The Lorenz curves of item exposure, with the diagonal of equal exposure. */
  static String lorenz(String id, String title, List<Curve> curves) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYSeries diagonal = new XYSeries("equal exposure (Gini 0)");
    diagonal.add(0, 0);
    diagonal.add(MetricLabels.PERCENT, MetricLabels.PERCENT);
    dataset.addSeries(diagonal);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, DIAGONAL);
    renderer.setSeriesStroke(0, stroke(1));
    for (int i = 0; i < curves.size(); i++) {
      Curve curve = curves.get(i);
      XYSeries series = new XYSeries(curve.key(), false, true);
      for (int k = 0; k < curve.x().length; k++) {
        series.add(curve.x()[k], curve.y()[k]);
      }
      dataset.addSeries(series);
      renderer.setSeriesPaint(i + 1, colour(curve.policy(), i));
      renderer.setSeriesStroke(i + 1, stroke(0));
    }
    NumberAxis x = new NumberAxis("catalog items, least shown first (cumulative %)");
    NumberAxis y = new NumberAxis("impressions (cumulative %)");
    for (NumberAxis axis : List.of(x, y)) {
      axis.setRange(0, MetricLabels.PERCENT);
      axis.setNumberFormatOverride(new DecimalFormat("0'%'"));
      styleAxis(axis);
    }
    XYPlot plot = new XYPlot(dataset, x, y, renderer);
    return svg(id, chart(title, plot), LORENZ_WIDTH, LORENZ_HEIGHT);
  }

  /** Dots with whiskers: each policy's estimate and interval per estimator. */
  static String intervals(
      String id,
      String title,
      MetricLabels.Info info,
      List<String> estimators,
      List<String> policies,
      List<Estimate> estimates) {
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(false);
    renderer.setDefaultShapesVisible(true);
    renderer.setCapLength(CAP_LENGTH);
    renderer.setErrorStroke(new BasicStroke(LINE_WIDTH));
    for (int p = 0; p < policies.size(); p++) {
      String policy = policies.get(p);
      YIntervalSeries series = new YIntervalSeries(policy);
      double offset = (p - (policies.size() - 1) / 2.0) * DODGE;
      for (Estimate e : estimates) {
        if (e.policy().equals(policy)) {
          series.add(estimators.indexOf(e.estimator()) + offset, e.value(), e.lower(), e.upper());
        }
      }
      dataset.addSeries(series);
      renderer.setSeriesPaint(p, colour(policy, p));
      renderer.setSeriesShape(
          p, new Ellipse2D.Double(-DOT / 2 - 1, -DOT / 2 - 1, DOT + 2, DOT + 2));
    }
    SymbolAxis x = new SymbolAxis("estimator", estimators.toArray(String[]::new));
    x.setRange(-0.5, estimators.size() - 0.5);
    x.setGridBandsVisible(false);
    styleAxis(x);
    NumberAxis y = valueAxis(info);
    y.setLabel("estimated " + info.axisLabel());
    XYPlot plot = new XYPlot(dataset, x, y, renderer);
    return svg(id, chart(title, plot), WIDTH, INTERVAL_HEIGHT);
  }

  private static NumberAxis valueAxis(MetricLabels.Info info) {
    NumberAxis y = new NumberAxis(info.axisLabel());
    y.setAutoRangeIncludesZero(false);
    if (info.unit() == MetricLabels.Unit.SHARE) {
      NumberFormat percent = NumberFormat.getPercentInstance(Locale.ROOT);
      percent.setMaximumFractionDigits(2);
      y.setNumberFormatOverride(percent);
    }
    styleAxis(y);
    return y;
  }

  private static void styleAxis(org.jfree.chart.axis.Axis axis) {
    axis.setLabelFont(new Font(FONT, Font.PLAIN, LABEL_SIZE));
    axis.setTickLabelFont(new Font(FONT, Font.PLAIN, TICK_SIZE));
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    styleAxis(plot.getDomainAxis());
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(plot);
    chart.setTitle(new TextTitle(title, new Font(FONT, Font.BOLD, TITLE_SIZE)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(PADDING);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(new Font(FONT, Font.PLAIN, LABEL_SIZE));
    return chart;
  }

  private static String svg(String id, JFreeChart chart, int width, int height) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(id + "-");
    chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    return g2.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
  }

  private static Paint colour(String policy, int index) {
    Color known = POLICY_COLOURS.get(policy);
    return known != null ? known : OTHER_COLOURS[index % OTHER_COLOURS.length];
  }

  private static Stroke stroke(int seedRank) {
    float[] dash = DASHES[seedRank % DASHES.length];
    return dash == null
        ? new BasicStroke(LINE_WIDTH)
        : new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f);
  }

  private static Ellipse2D dot() {
    return new Ellipse2D.Double(-DOT / 2, -DOT / 2, DOT, DOT);
  }
}
