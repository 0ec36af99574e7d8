/**
 * The system agent: turns the content agent's heating bids into per-item heated-impression quotas
 * under the budget pool, the heating cap, fairness floors and per-creator caps ({@link
 * dev.kindling.agents.system.QuotaAllocator}), with business weights from config, a KPI-gap
 * controller ({@link dev.kindling.agents.system.KpiGapController}) or an optional outside source
 * ({@link dev.kindling.agents.system.OpenAiWeightSource}), always validated and clamped ({@link
 * dev.kindling.agents.system.WeightResolver}). Pure Java: no Spark, no paths.
 */
package dev.kindling.agents.system;
