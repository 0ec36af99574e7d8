package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints every config key with its effective value, default, allowed values and doc. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print every config key with its effective value, default and doc.")
final class ConfigCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    for (Map.Entry<String, String> e : config.describe().entrySet()) {
      System.out.println(e.getKey() + " = " + e.getValue());
    }
    return 0;
  }
}
