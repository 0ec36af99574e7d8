package dev.kindling.agents.sim;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A simulated user's directory entry.
 *
 * @param index dense index in sign-up order
 * @param userId the user's ID
 * @param signupTs sign-up time, UTC
 */
public record SimUser(int index, String userId, Instant signupTs) {

  /** This user's directory row, matching {@code UsersSchema.SCHEMA}. */
  public Row toRow() {
    return RowFactory.create(userId, Timestamp.from(signupTs));
  }
}
