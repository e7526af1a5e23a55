package org.segflow.sample;

/** Arteries are lighter and thinner than veins; the two trees cross but never join elsewhere. */
enum VesselKind {
  ARTERY,
  VEIN
}
