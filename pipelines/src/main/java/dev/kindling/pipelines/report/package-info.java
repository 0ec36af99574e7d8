/**
 * The self-contained HTML evaluation report: rows of the {@code evaluation} table in, one HTML file
 * with inline SVG charts out. No Spark here; {@code ReportJob} reads the table.
 */
package dev.kindling.pipelines.report;
