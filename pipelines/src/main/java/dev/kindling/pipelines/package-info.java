/** One job per stage, the CLI, config and lakehouse I/O. */
package dev.kindling.pipelines;
