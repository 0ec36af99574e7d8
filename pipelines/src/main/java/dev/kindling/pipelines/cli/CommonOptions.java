package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every subcommand takes: the config file and key overrides. */
public final class CommonOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON config file (default: ${DEFAULT-VALUE}).",
      defaultValue = "conf/local.conf")
  Path configFile;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Override one config key, repeatable; e.g. --conf lakehouse.root=/data/lh. "
              + "'bin/kindling config' lists the keys.")
  List<String> overrides = new ArrayList<>();

  /** The loaded, validated config. */
  public KindlingConfig load() {
    return KindlingConfig.load(configFile, overrides);
  }
}
