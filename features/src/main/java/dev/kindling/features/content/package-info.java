/**
 * The content agent: item-day transitions of cold items, the fraud signals (click inflation, click
 * concentration over users), the MLlib value forest shared by all items and the heating bid made
 * from them. Pure Dataset functions and an MLlib fit; no paths, no writes.
 */
package dev.kindling.features.content;
