package dev.kindling.agents.train;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters of every TD3+BC network at one moment, as plain float arrays owned by the
 * snapshot: what the distributed trainer broadcasts to executors, so that no live network buffer is
 * ever handed to Spark (see STACK.md on broadcasts freeing live parameters).
 *
 * <p>On an executor, {@link #step()} gives a {@link LocalTd3BcStep} holding these parameters; the
 * networks are built once per executor thread and shape (a thread-local cache) and only their
 * parameters are set per task, because building a graph costs far more than copying a few thousand
 * floats. Costs: one copy of every network's parameters to build, one to apply.
 */
final class NetworkSnapshot implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final ThreadLocal<CachedStep> CACHE = new ThreadLocal<>();

  private final NetworkShape shape;
  private final Td3BcConfig config;
  private final float[][] parameters;

  private NetworkSnapshot(NetworkShape shape, Td3BcConfig config, float[][] parameters) {
    this.shape = shape;
    this.config = config;
    this.parameters = parameters;
  }

  /** A snapshot of {@code step}'s networks, in the order of {@link Td3BcNetworks#named()}. */
  static NetworkSnapshot of(LocalTd3BcStep step) {
    List<INDArray> arrays = step.networks().parameters();
    float[][] copies = new float[arrays.size()][];
    for (int i = 0; i < arrays.size(); i++) {
      copies[i] = arrays.get(i).toFloatVector();
    }
    return new NetworkSnapshot(step.shape(), step.config(), copies);
  }

  /**
   * A step on this thread whose networks hold the snapshot's parameters. The step is reused by the
   * thread's next task of the same shape and configuration; do not keep it beyond the task.
   */
  LocalTd3BcStep step() {
    CachedStep cached = CACHE.get();
    if (cached == null || !cached.shape.equals(shape) || !cached.config.equals(config)) {
      cached = new CachedStep(shape, config, LocalTd3BcStep.create(shape, config));
      CACHE.set(cached);
    }
    List<INDArray> arrays = new ArrayList<>(parameters.length);
    for (float[] values : parameters) {
      arrays.add(Nd4j.createFromArray(values).reshape(1, values.length));
    }
    cached.step.networks().restore(arrays);
    return cached.step;
  }

  /** A step cached for one executor thread. */
  private record CachedStep(NetworkShape shape, Td3BcConfig config, LocalTd3BcStep step) {}
}
