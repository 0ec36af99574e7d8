package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.EmbeddingsConfig;
import dev.kindling.pipelines.jobs.EmbeddingsJob;
import dev.kindling.pipelines.jobs.EmbeddingsResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling embeddings}: item and category vectors learned from behaviour. */
@Command(
    name = "embeddings",
    mixinStandardHelpOptions = true,
    description = {
      "Write the run date's item_embeddings and category_embeddings: a vector per catalog item,"
          + " learned by embeddings.model (word2vec over each user's clicks of a day in order, or"
          + " als on user x item click counts) from the validated events of"
          + " D-embeddings.window-days+1..D. An item with fewer than embeddings.min-clicks clicks"
          + " carries its category's vector, flagged as a fallback, so new items always have one.",
      "Needs validated_events of the run date and raw/items. Logs how much nearer items of one"
          + " category are to each other than any two items (the category separation margin)."
    })
final class EmbeddingsCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    EmbeddingsConfig embeddings = EmbeddingsConfig.from(config, date.runDate());
    EmbeddingsResult result =
        Stage.run(
            "kindling-embeddings", config, spark -> new EmbeddingsJob(spark, embeddings).run());
    System.out.println(result);
    return 0;
  }
}
