package dev.kindling.features.embeddings;

/**
 * How well the learned vectors separate the catalog's categories ({@link
 * ItemEmbeddings#separation}).
 *
 * @param sameCategoryCosine mean cosine of two distinct learned items of the same category
 * @param anyPairCosine mean cosine of two distinct learned items
 * @param learnedItems the learned items measured
 */
public record CategorySeparation(
    double sameCategoryCosine, double anyPairCosine, long learnedItems) {

  /** {@code sameCategoryCosine − anyPairCosine}: above 0 when categories cluster. */
  public double margin() {
    return sameCategoryCosine - anyPairCosine;
  }

  @Override
  public String toString() {
    return String.format(
        "same-category cosine %.3f vs any pair %.3f (margin %.3f) over %d learned items",
        sameCategoryCosine, anyPairCosine, margin(), learnedItems);
  }
}
