/** Data contracts, validation and features: pure Dataset functions, no paths, no writes. */
package dev.kindling.features;
