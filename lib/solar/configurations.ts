/**
 * Observer constellations compared in the Solar Ring notebook. Longitudes are heliocentric, relative to Earth,
 * positive ahead of Earth in its orbit; "upstream" in the corotating solar wind is behind Earth (negative).
 * Solar Ring (Wang et al. 2023, arXiv 2210.10402): S1 30° upstream, S2 90° downstream, S3 closing 120° spacing.
 */
import { type Observer, observerLatitude } from "./geometry";

export interface Configuration {
  name: string;
  observers: Observer[];
}

const earth: Observer = { name: "Earth", lon: 0 };

/** The trio S1 (−30°), S2 (+90°), S3 (+210° ≡ −150°): 120° apart. */
export const SOLAR_RING: Observer[] = [
  { name: "S1", lon: -30 },
  { name: "S2", lon: 90 },
  { name: "S3", lon: 210 },
];

/** The configurations the notebook compares, from Earth alone to the Solar Ring with Earth. */
export function configurations(): Configuration[] {
  return [
    { name: "Earth only", observers: [earth] },
    { name: "Earth + L5", observers: [earth, { name: "L5", lon: -60 }] },
    { name: "Earth + ±60°", observers: [earth, { name: "A", lon: 60 }, { name: "B", lon: -60 }] },
    { name: "Earth + ±90°", observers: [earth, { name: "A", lon: 90 }, { name: "B", lon: -90 }] },
    { name: "Solar Ring trio", observers: SOLAR_RING },
    { name: "Solar Ring + Earth", observers: [...SOLAR_RING, earth] },
  ];
}

/** Gives each observer the heliographic latitude it has when the rotation axis is tilted by `tiltDeg` with ascending node at `nodeDeg` (B0 effect). */
export function withTilt(observers: Observer[], tiltDeg: number, nodeDeg = 0): Observer[] {
  return observers.map((o) => ({ ...o, lat: observerLatitude(o.lon, tiltDeg, nodeDeg) }));
}
