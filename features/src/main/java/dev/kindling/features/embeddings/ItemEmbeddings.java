package dev.kindling.features.embeddings;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.CategoryEmbeddingsSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Item and category vectors learned from behaviour, as pure Dataset functions: no reads, no writes.
 *
 * <p>The behaviour is the clicks of the validated events given (the trailing window). {@link
 * EmbeddingModel#WORD2VEC} reads each user's clicks of one day in click order as a sentence (MLlib
 * skip-gram Word2Vec, Mikolov et al. 2013; item2vec, Barkan and Koenigstein 2016); {@link
 * EmbeddingModel#ALS} factorises the user × item click counts with implicit-feedback ALS (Hu, Koren
 * and Volinsky 2008). Either way an item gets a vector of its own only with at least {@code
 * minClicks} clicks in the window, and every vector is normalised to unit L2 norm, so the dot
 * product of two vectors is their cosine.
 *
 * <p>Every catalog item published before the end of the run date gets a row: an item with too few
 * clicks gets its category's vector, the click-weighted mean of the category's learned vectors,
 * normalised, and is flagged as a fallback. New content is representable on its first day.
 */
public final class ItemEmbeddings {

  /** Internal: the MLlib vector column of the learned items. */
  private static final String VECTOR = "vector";

  private static final String UNIT = "unit";
  private static final String WORD = "word";
  private static final String SENTENCE = "sentence";
  private static final String USER_INDEX = "user_index";
  private static final String ITEM_INDEX = "item_index";
  private static final String CATEGORY_EMBEDDING = "category_embedding";
  private static final String CATEGORY_SOURCE = "category_source";
  private static final String LEARNED_EMBEDDING = "learned_embedding";
  private static final String REFERENCE = "reference_vector";

  private ItemEmbeddings() {}

  /**
   * The run date's {@code item_embeddings} rows ({@link ItemEmbeddingsSchema}) and {@code
   * category_embeddings} rows ({@link CategoryEmbeddingsSchema}). Fits the model once (an action);
   * the returned Datasets are lazy beyond that.
   *
   * @param events validated events of the window the model learns from (any days given are used)
   * @param items the catalog ({@link ItemsSchema}); items published after the run date are left out
   * @param day the run date D
   */
  public static ItemEmbeddingsResult compute(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, EmbeddingParams params) {
    return compute(events, items, day, params, null);
  }

  /**
   * As {@link #compute(Dataset, Dataset, LocalDate, EmbeddingParams)}, with the learned vectors
   * rotated onto {@code reference}'s: a model refitted on a shifted window learns its vectors in a
   * basis of its own, so without this the vectors of two days could not be compared or mixed (the
   * encoder trained on several days' replay, served with one day's vectors, would read each day in
   * another basis). The rotation is the orthogonal R minimising {@code Σ ‖a R − b‖²} over the items
   * learned on both days (a today's vector, b the reference's; orthogonal Procrustes, Schönemann
   * 1966: R = U Vᵀ for the SVD U Σ Vᵀ of {@code Σ aᵀ b}). A rotation keeps every cosine, so the
   * vectors' own geometry (and the category separation) is unchanged; fallback vectors are computed
   * after it. With fewer shared items than {@code dimension} the rotation is under-determined and
   * none is applied ({@link Alignment#applied()} false).
   *
   * @param reference rows of the previous {@code item_embeddings} partition (only {@code learned}
   *     rows of {@code dimension} values are read), or null for none
   */
  public static ItemEmbeddingsResult compute(
      Dataset<Row> events,
      Dataset<Row> items,
      LocalDate day,
      EmbeddingParams params,
      Reference reference) {
    Objects.requireNonNull(params, "params");
    Dataset<Row> clicks = events.where(col(EventsSchema.CLICKED));
    Dataset<Row> itemClicks =
        clicks.groupBy(EventsSchema.ITEM_ID).agg(count(lit(1)).as(ItemEmbeddingsSchema.CLICKS));
    Dataset<Row> catalog =
        items
            .where(
                col(ItemsSchema.PUBLISH_TS)
                    .lt(
                        lit(
                            Timestamp.from(
                                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))))
            .select(ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY);

    Dataset<Row> learned =
        normalised(
                params.model() == EmbeddingModel.WORD2VEC
                    ? word2vec(clicks, params)
                    : als(clicks, params))
            .join(itemClicks, ItemEmbeddingsSchema.ITEM_ID)
            .where(col(ItemEmbeddingsSchema.CLICKS).geq(params.minClicks()))
            .join(catalog, ItemEmbeddingsSchema.ITEM_ID);
    Alignment alignment = null;
    Map<String, String> modelParams = new LinkedHashMap<>(params.modelParams());
    if (reference != null) {
      alignment = alignment(learned, reference, params.dimension());
      if (alignment.applied()) {
        learned = rotated(learned, alignment.rotation(), params.dimension());
      }
      modelParams.put("aligned_to", reference.day().toString());
      modelParams.put("aligned_items", Long.toString(alignment.sharedItems()));
    }

    double[] catalogMean = catalogMean(learned);
    boolean anyLearned = catalogMean != null;
    Dataset<Row> categoryMeans =
        normalised(
                learned
                    .groupBy(ItemsSchema.CATEGORY)
                    .agg(
                        Summarizer.mean(
                                col(VECTOR), col(ItemEmbeddingsSchema.CLICKS).cast("double"))
                            .as(VECTOR),
                        count(lit(1)).as(CategoryEmbeddingsSchema.LEARNED_ITEMS),
                        sum(ItemEmbeddingsSchema.CLICKS).as(CategoryEmbeddingsSchema.CLICKS)))
            .withColumn(CategoryEmbeddingsSchema.EMBEDDING, floats(col(VECTOR)));
    Dataset<Row> categories =
        catalog
            .select(ItemsSchema.CATEGORY)
            .distinct()
            .join(categoryMeans, ItemsSchema.CATEGORY, "left")
            .select(
                col(ItemsSchema.CATEGORY),
                lit(Date.valueOf(day)).as(CategoryEmbeddingsSchema.DT),
                coalesce(
                        col(CategoryEmbeddingsSchema.EMBEDDING),
                        floatArray(anyLearned ? catalogMean : new double[params.dimension()]))
                    .as(CategoryEmbeddingsSchema.EMBEDDING),
                when(col(VECTOR).isNotNull(), ItemEmbeddingsSchema.SOURCE_CATEGORY)
                    .otherwise(
                        anyLearned
                            ? ItemEmbeddingsSchema.SOURCE_CATALOG
                            : ItemEmbeddingsSchema.SOURCE_NONE)
                    .as(CategoryEmbeddingsSchema.SOURCE),
                coalesce(col(CategoryEmbeddingsSchema.LEARNED_ITEMS), lit(0L))
                    .as(CategoryEmbeddingsSchema.LEARNED_ITEMS),
                coalesce(col(CategoryEmbeddingsSchema.CLICKS), lit(0L))
                    .as(CategoryEmbeddingsSchema.CLICKS));

    Dataset<Row> itemRows =
        catalog
            .join(
                learned.select(
                    col(ItemEmbeddingsSchema.ITEM_ID), floats(col(VECTOR)).as(LEARNED_EMBEDDING)),
                ItemEmbeddingsSchema.ITEM_ID,
                "left")
            .join(itemClicks, ItemEmbeddingsSchema.ITEM_ID, "left")
            .join(
                categories.select(
                    col(CategoryEmbeddingsSchema.CATEGORY),
                    col(CategoryEmbeddingsSchema.EMBEDDING).as(CATEGORY_EMBEDDING),
                    col(CategoryEmbeddingsSchema.SOURCE).as(CATEGORY_SOURCE)),
                ItemsSchema.CATEGORY)
            .select(
                col(ItemEmbeddingsSchema.ITEM_ID),
                col(ItemsSchema.CATEGORY),
                lit(Date.valueOf(day)).as(ItemEmbeddingsSchema.DT),
                coalesce(col(LEARNED_EMBEDDING), col(CATEGORY_EMBEDDING))
                    .as(ItemEmbeddingsSchema.EMBEDDING),
                when(col(LEARNED_EMBEDDING).isNotNull(), ItemEmbeddingsSchema.SOURCE_LEARNED)
                    .otherwise(col(CATEGORY_SOURCE))
                    .as(ItemEmbeddingsSchema.SOURCE),
                col(LEARNED_EMBEDDING).isNull().as(ItemEmbeddingsSchema.FALLBACK),
                coalesce(col(ItemEmbeddingsSchema.CLICKS), lit(0L)).as(ItemEmbeddingsSchema.CLICKS),
                lit(params.model().configName()).as(ItemEmbeddingsSchema.MODEL),
                stringMap(modelParams).as(ItemEmbeddingsSchema.MODEL_PARAMS));
    return new ItemEmbeddingsResult(itemRows, categories, alignment);
  }

  /**
   * The vectors a day's are aligned to: the {@code item_embeddings} rows of an earlier partition.
   *
   * @param day its date
   * @param items its rows
   */
  public record Reference(LocalDate day, Dataset<Row> items) {

    public Reference {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(items, "items");
    }
  }

  /**
   * How a day's learned vectors were rotated onto a reference's.
   *
   * @param referenceDay the reference partition's date
   * @param sharedItems the items learned on both days
   * @param applied whether the rotation was applied (at least {@code dimension} shared items)
   * @param cosineBefore the mean cosine of an item's vector and its reference vector before the
   *     rotation, over the shared items (NaN with none)
   * @param cosineAfter the same after it (equal to {@code cosineBefore} when not applied)
   * @param rotation R, row-major {@code dimension × dimension}; a vector a becomes {@code a R}
   */
  public record Alignment(
      LocalDate referenceDay,
      long sharedItems,
      boolean applied,
      double cosineBefore,
      double cosineAfter,
      double[] rotation) {

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s to %s over %d shared items: mean cosine to the reference %.3f before, %.3f after",
          applied ? "aligned" : "not aligned (too few shared items)",
          referenceDay,
          sharedItems,
          cosineBefore,
          cosineAfter);
    }
  }

  /**
   * The orthogonal Procrustes rotation of {@code learned}'s vectors onto {@code reference}'s. Cost:
   * one join of the learned items with the reference partition and one aggregation of a {@code
   * dimension²} matrix; an SVD of that matrix on the driver.
   */
  private static Alignment alignment(Dataset<Row> learned, Reference reference, int dimension) {
    Dataset<Row> previous =
        reference
            .items()
            .where(
                col(ItemEmbeddingsSchema.SOURCE)
                    .equalTo(ItemEmbeddingsSchema.SOURCE_LEARNED)
                    .and(size(col(ItemEmbeddingsSchema.EMBEDDING)).equalTo(dimension)))
            .select(
                col(ItemEmbeddingsSchema.ITEM_ID),
                functions.array_to_vector(col(ItemEmbeddingsSchema.EMBEDDING)).as(REFERENCE));
    int cells = dimension * dimension;
    double[] sums =
        learned
            .select(ItemEmbeddingsSchema.ITEM_ID, VECTOR)
            .join(previous, ItemEmbeddingsSchema.ITEM_ID)
            .select(VECTOR, REFERENCE)
            .javaRDD()
            .treeAggregate(
                new double[cells + 1],
                (acc, row) -> {
                  double[] a = ((Vector) row.get(0)).toArray();
                  double[] b = ((Vector) row.get(1)).toArray();
                  for (int i = 0; i < dimension; i++) {
                    for (int j = 0; j < dimension; j++) {
                      acc[i * dimension + j] += a[i] * b[j];
                    }
                  }
                  acc[cells] += 1.0;
                  return acc;
                },
                (x, y) -> {
                  for (int i = 0; i <= cells; i++) {
                    x[i] += y[i];
                  }
                  return x;
                });
    long shared = (long) sums[cells];
    double[][] m = new double[dimension][dimension];
    double trace = 0.0;
    for (int i = 0; i < dimension; i++) {
      for (int j = 0; j < dimension; j++) {
        m[i][j] = sums[i * dimension + j];
      }
      trace += m[i][i];
    }
    double before = shared == 0 ? Double.NaN : trace / shared;
    if (shared < dimension) {
      return new Alignment(reference.day(), shared, false, before, before, null);
    }
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(m));
    RealMatrix r = svd.getU().multiply(svd.getVT());
    double[] rotation = new double[cells];
    for (int i = 0; i < dimension; i++) {
      for (int j = 0; j < dimension; j++) {
        rotation[i * dimension + j] = r.getEntry(i, j);
      }
    }
    double singular = 0.0;
    for (double value : svd.getSingularValues()) {
      singular += value;
    }
    return new Alignment(reference.day(), shared, true, before, singular / shared, rotation);
  }

  /** {@code learned} with every vector a replaced by {@code a R}. */
  private static Dataset<Row> rotated(Dataset<Row> learned, double[] rotation, int dimension) {
    UserDefinedFunction rotate =
        udf(
            (UDF1<Vector, Vector>)
                a -> {
                  double[] values = a.toArray();
                  double[] out = new double[dimension];
                  for (int i = 0; i < dimension; i++) {
                    for (int j = 0; j < dimension; j++) {
                      out[j] += values[i] * rotation[i * dimension + j];
                    }
                  }
                  return Vectors.dense(out);
                },
            SQLDataTypes.VectorType());
    return learned.withColumn(VECTOR, rotate.apply(col(VECTOR)));
  }

  /**
   * How much nearer items of one category are to each other than any two items: the mean cosine of
   * the pairs of distinct learned items of the same category, the mean cosine of all pairs of
   * distinct learned items, and their difference. Exact, without sampling pairs: for unit vectors
   * the sum of the cosines over the ordered pairs of distinct members of a set S is {@code ‖Σ_{v∈S}
   * v‖² − |S|}.
   *
   * @param itemEmbeddings rows of {@code item_embeddings}; only {@code learned} ones are read
   * @return null when fewer than two items are learned
   */
  public static CategorySeparation separation(Dataset<Row> itemEmbeddings) {
    List<Row> perCategory =
        itemEmbeddings
            .where(col(ItemEmbeddingsSchema.SOURCE).equalTo(ItemEmbeddingsSchema.SOURCE_LEARNED))
            .withColumn(VECTOR, functions.array_to_vector(col(ItemEmbeddingsSchema.EMBEDDING)))
            .groupBy(ItemEmbeddingsSchema.CATEGORY)
            .agg(Summarizer.sum(col(VECTOR)).as(VECTOR), count(lit(1)).as("n"))
            .collectAsList();
    double withinSum = 0.0;
    double withinPairs = 0.0;
    double[] total = null;
    long n = 0;
    for (Row row : perCategory) {
      double[] s = ((Vector) row.getAs(VECTOR)).toArray();
      long members = row.getLong(row.fieldIndex("n"));
      withinSum += dot(s, s) - members;
      withinPairs += (double) members * (members - 1);
      if (total == null) {
        total = s.clone();
      } else {
        for (int i = 0; i < s.length; i++) {
          total[i] += s[i];
        }
      }
      n += members;
    }
    if (n < 2 || withinPairs == 0.0) {
      return null;
    }
    double anyPair = (dot(total, total) - n) / ((double) n * (n - 1));
    return new CategorySeparation(withinSum / withinPairs, anyPair, n);
  }

  /** Word2Vec over per-user, per-day click sequences: (item_id, vector) of its vocabulary. */
  private static Dataset<Row> word2vec(Dataset<Row> clicks, EmbeddingParams p) {
    Dataset<Row> sentences =
        clicks
            .groupBy(EventsSchema.USER_ID, EventsSchema.DT)
            .agg(
                sort_array(
                        collect_list(
                            struct(
                                col(EventsSchema.TS),
                                col(EventsSchema.POSITION),
                                col(EventsSchema.ITEM_ID))))
                    .as(SENTENCE))
            .select(
                col(EventsSchema.USER_ID),
                col(EventsSchema.DT),
                transform(col(SENTENCE), c -> c.getField(EventsSchema.ITEM_ID)).as(SENTENCE))
            .where(size(col(SENTENCE)).geq(2))
            // One order whatever the input's partitioning: a re-run of a date learns the same
            // vectors.
            .orderBy(EventsSchema.USER_ID, EventsSchema.DT);
    boolean anyWord =
        !sentences
            .select(org.apache.spark.sql.functions.explode(col(SENTENCE)).as(WORD))
            .groupBy(WORD)
            .count()
            .where(col("count").geq(p.minClicks()))
            .isEmpty();
    if (!anyWord) {
      return emptyVectors(clicks);
    }
    return new Word2Vec()
        .setInputCol(SENTENCE)
        .setOutputCol("sentence_vector")
        .setVectorSize(p.dimension())
        .setWindowSize(p.contextWindow())
        .setMinCount((int) Math.min(Integer.MAX_VALUE, p.minClicks()))
        .setMaxIter(p.iterations())
        .setNumPartitions(1)
        .setSeed(p.seed())
        .fit(sentences)
        .getVectors()
        .select(col(WORD).as(ItemEmbeddingsSchema.ITEM_ID), col(VECTOR));
  }

  /** Implicit ALS over user × item click counts: (item_id, vector) of every clicked item. */
  private static Dataset<Row> als(Dataset<Row> clicks, EmbeddingParams p) {
    Dataset<Row> pairs =
        clicks
            .groupBy(EventsSchema.USER_ID, EventsSchema.ITEM_ID)
            .agg(count(lit(1)).cast("float").as("rating"));
    if (pairs.isEmpty()) {
      return emptyVectors(clicks);
    }
    StringIndexerModel users =
        new StringIndexer()
            .setInputCol(EventsSchema.USER_ID)
            .setOutputCol(USER_INDEX)
            .setStringOrderType("alphabetAsc")
            .fit(pairs);
    StringIndexerModel itemIndex =
        new StringIndexer()
            .setInputCol(EventsSchema.ITEM_ID)
            .setOutputCol(ITEM_INDEX)
            .setStringOrderType("alphabetAsc")
            .fit(pairs);
    ALSModel model =
        new ALS()
            .setImplicitPrefs(true)
            .setRank(p.dimension())
            .setMaxIter(p.iterations())
            .setRegParam(p.regularisation())
            .setAlpha(p.confidence())
            .setSeed(p.seed())
            .setUserCol(USER_INDEX)
            .setItemCol(ITEM_INDEX)
            .setRatingCol("rating")
            .fit(itemIndex.transform(users.transform(pairs)));
    return new IndexToString()
        .setInputCol("id")
        .setOutputCol(ItemEmbeddingsSchema.ITEM_ID)
        .setLabels(itemIndex.labelsArray()[0])
        .transform(model.itemFactors())
        .withColumn(VECTOR, functions.array_to_vector(col("features")))
        .select(ItemEmbeddingsSchema.ITEM_ID, VECTOR);
  }

  private static Dataset<Row> emptyVectors(Dataset<Row> clicks) {
    return clicks
        .select(col(EventsSchema.ITEM_ID).as(ItemEmbeddingsSchema.ITEM_ID))
        .withColumn(VECTOR, functions.array_to_vector(array(lit(0.0))))
        .limit(0);
  }

  /** Replaces {@code vector} by its unit-L2-norm version (a zero vector stays zero). */
  private static Dataset<Row> normalised(Dataset<Row> df) {
    return new Normalizer()
        .setP(2.0)
        .setInputCol(VECTOR)
        .setOutputCol(UNIT)
        .transform(df)
        .drop(VECTOR)
        .withColumnRenamed(UNIT, VECTOR);
  }

  /**
   * The click-weighted mean of the learned vectors, normalised to unit length, or null when nothing
   * was learned.
   */
  private static double[] catalogMean(Dataset<Row> learned) {
    if (learned.isEmpty()) {
      return null; // MLlib's Summarizer fails on no rows.
    }
    Row mean =
        learned
            .agg(
                Summarizer.mean(col(VECTOR), col(ItemEmbeddingsSchema.CLICKS).cast("double"))
                    .as(VECTOR),
                count(lit(1)).as("n"))
            .first();
    double[] v = ((Vector) mean.getAs(VECTOR)).toArray();
    double norm = Math.sqrt(dot(v, v));
    if (norm > 0.0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
    return v;
  }

  /** An {@code array<float>} literal. */
  private static Column floatArray(double[] values) {
    Column[] elements = new Column[values.length];
    for (int i = 0; i < values.length; i++) {
      elements[i] = lit((float) values[i]);
    }
    return array(elements).cast(DataTypes.createArrayType(DataTypes.FloatType, false));
  }

  /** A {@code map<string,string>} literal, in the map's iteration order. */
  private static Column stringMap(Map<String, String> entries) {
    List<Column> kv = new ArrayList<>();
    entries.forEach(
        (k, v) -> {
          kv.add(lit(k));
          kv.add(lit(v));
        });
    return map(kv.toArray(new Column[0]));
  }

  private static Column floats(Column vector) {
    return functions.vector_to_array(vector, "float32");
  }

  private static Column[] columns(String... names) {
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = col(names[i]);
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
