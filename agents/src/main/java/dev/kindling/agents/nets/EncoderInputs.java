package dev.kindling.agents.nets;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The behaviour-sequence encoder's inputs of one batch of rows for one step, as a network that
 * reads an encoder takes them ({@link Networks#RECENT} with its mask, {@link Networks#OLDER}).
 *
 * @param recent {@code [batch, E + 3, N]}: item vector, clicked, completed, age per step, the real
 *     steps first
 * @param recentMask {@code [batch, N]}, 1 on the real steps (at least one per row)
 * @param older {@code [batch, E + 1]}: mean vector of the older interactions and the count feature
 */
public record EncoderInputs(INDArray recent, INDArray recentMask, INDArray older)
    implements Serializable {}
