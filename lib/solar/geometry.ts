/**
 * Line-of-sight geometry of the solar surface seen from observers in the ecliptic (Solar Ring: Wang et al.
 * 2023, arXiv 2210.10402). Angles in degrees at the API, radians inside.
 * @see notebooks/12-solar-ring.ipynb
 */

/** One astronomical unit in solar radii (IAU: 1 au = 215.03 R☉). */
export const AU_IN_RSUN = 215.032;
/** Inclination of the solar rotation axis to the ecliptic normal (Carrington): B0 ranges over ±7.25°. */
export const SOLAR_AXIS_TILT_DEG = 7.25;

const RAD = Math.PI / 180;

/** An observer: heliographic longitude (relative to Earth's, degrees, + = ahead of Earth in its orbit), latitude B (degrees) and distance (solar radii; Infinity = orthographic view). */
export interface Observer {
  name: string;
  lon: number;
  lat?: number;
  distance?: number;
}

/** Unit vector of heliographic (lat, lon) in degrees: (cos b cos l, cos b sin l, sin b). */
export function unit(latDeg: number, lonDeg: number): [number, number, number] {
  const b = latDeg * RAD,
    l = lonDeg * RAD;
  return [Math.cos(b) * Math.cos(l), Math.cos(b) * Math.sin(l), Math.sin(b)];
}

/**
 * Angle θ (degrees) between the outward normal at surface point P and the line of sight to observer O,
 * cos θ = n̂·(O − P)/|O − P| with P = R n̂, R = 1; for an observer at infinity θ equals the central angle γ.
 * Returns 180 for points on the far side (cos θ < 0 means P faces away from O).
 */
export function viewingAngle(latDeg: number, lonDeg: number, obs: Observer): number {
  const n = unit(latDeg, lonDeg),
    o = unit(obs.lat ?? 0, obs.lon);
  const cosGamma = n[0] * o[0] + n[1] * o[1] + n[2] * o[2];
  const d = obs.distance ?? AU_IN_RSUN;
  if (!Number.isFinite(d)) return Math.acos(Math.max(-1, Math.min(1, cosGamma))) / RAD;
  // n̂·(d ô − n̂) = d cos γ − 1, |d ô − n̂|² = d² − 2 d cos γ + 1
  const c = (d * cosGamma - 1) / Math.sqrt(d * d - 2 * d * cosGamma + 1);
  return Math.acos(Math.max(-1, Math.min(1, c))) / RAD;
}

/** A latitude × longitude grid with cell centres, for coverage maps. */
export interface Grid {
  lats: Float64Array;
  lons: Float64Array;
  step: number;
}

/** Regular grid of cell centres with spacing `step` degrees (lat in (−90, 90), lon in [0, 360)). */
export function grid(step = 1): Grid {
  const nLat = Math.round(180 / step),
    nLon = Math.round(360 / step);
  return {
    step,
    lats: Float64Array.from({ length: nLat }, (_, i) => -90 + (i + 0.5) * step),
    lons: Float64Array.from({ length: nLon }, (_, j) => (j + 0.5) * step),
  };
}

/** Number of observers that see each grid cell with viewing angle ≤ θmax: a row-major (lat, lon) Uint8Array. */
export function coverageCount(g: Grid, observers: Observer[], thetaMaxDeg = 60): Uint8Array {
  const nLat = g.lats.length,
    nLon = g.lons.length,
    out = new Uint8Array(nLat * nLon);
  for (const obs of observers)
    for (let i = 0; i < nLat; i++)
      for (let j = 0; j < nLon; j++) if (viewingAngle(g.lats[i], g.lons[j], obs) <= thetaMaxDeg) out[i * nLon + j]++;
  return out;
}

/** Area-weighted fraction of the sphere seen by at least `k` observers: Σ cos b · [count ≥ k] / Σ cos b. */
export function areaFraction(g: Grid, count: Uint8Array, k = 1): number {
  const nLon = g.lons.length;
  let seen = 0,
    total = 0;
  g.lats.forEach((lat, i) => {
    const w = Math.cos(lat * RAD);
    for (let j = 0; j < nLon; j++) {
      total += w;
      if (count[i * nLon + j] >= k) seen += w;
    }
  });
  return seen / total;
}

/**
 * Fraction of one synodic rotation during which a point at each latitude is observed. Over a rotation the
 * observers stay fixed relative to the Sun–Earth line, so a point sweeps every longitude once: the fraction
 * is the share of longitudes covered at that latitude.
 */
export function rotationFractionByLatitude(g: Grid, count: Uint8Array): Float64Array {
  const nLon = g.lons.length;
  return Float64Array.from(g.lats, (_, i) => {
    let c = 0;
    for (let j = 0; j < nLon; j++) if (count[i * nLon + j] > 0) c++;
    return c / nLon;
  });
}

/**
 * Largest angular gap (degrees) between consecutive observer longitudes around the circle (360° for one observer).
 */
export function largestLongitudeGap(observers: Observer[]): number {
  const lons = observers.map((o) => ((o.lon % 360) + 360) % 360).sort((a, b) => a - b);
  if (lons.length < 2) return 360;
  return Math.max(...lons.map((l, i) => (i + 1 < lons.length ? lons[i + 1] - l : lons[0] + 360 - l)));
}

/**
 * The latitude b* up to which observers in the ecliptic watch every point through a whole rotation, in closed
 * form. A point at latitude b and longitude φ from an observer has cos γ = cos b cos φ; the last point of its
 * latitude circle to be covered sits mid-way across the largest gap g between observers (φ = g/2), so every
 * longitude of latitude b is seen iff cos b cos(g/2) ≥ cos γ_reach, i.e. |b| ≤ b* = arccos(cos γ_reach / cos(g/2)),
 * with γ_reach = `reachAngle(θmax, d)` (the viewing angle from an ecliptic observer depends on γ alone).
 * Returns −1 when no latitude, not even the equator, is watched all the time.
 */
export function fullRotationLatitude(observers: Observer[], thetaMaxDeg = 60, distance = AU_IN_RSUN): number {
  const half = largestLongitudeGap(observers) / 2,
    reach = reachAngle(thetaMaxDeg, distance);
  if (half > reach) return -1;
  return Math.acos(Math.min(1, Math.cos(reach * RAD) / Math.cos(half * RAD))) / RAD;
}

/**
 * Longitudes (degrees) of the ecliptic equator (latitude 0) that no observer sees, found on a fine
 * 0.01° sweep; empty means 360° simultaneous coverage.
 */
export function equatorGaps(observers: Observer[], thetaMaxDeg = 60, stepDeg = 0.01): { from: number; to: number }[] {
  const gaps: { from: number; to: number }[] = [];
  let start: number | null = null;
  const n = Math.round(360 / stepDeg);
  for (let k = 0; k < n; k++) {
    const lon = k * stepDeg;
    const seen = observers.some((o) => viewingAngle(0, lon, o) <= thetaMaxDeg + 1e-9);
    if (!seen && start === null) start = lon;
    if (seen && start !== null) {
      gaps.push({ from: start, to: lon });
      start = null;
    }
  }
  if (start !== null) gaps.push({ from: start, to: 360 });
  return gaps;
}

/** Largest central angle γ an observer at distance d (solar radii) reaches within viewing angle θmax: tan θ = sin γ / (cos γ − 1/d), solved for γ. */
export function reachAngle(thetaMaxDeg: number, distance = AU_IN_RSUN): number {
  if (!Number.isFinite(distance)) return thetaMaxDeg;
  // θ(γ) is increasing in γ, so bisect.
  let lo = 0,
    hi = 90 + thetaMaxDeg;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (viewingAngle(0, mid, { name: "", lon: 0, distance }) <= thetaMaxDeg) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Ceiling on the area fraction any set of observers confined to heliographic latitudes |B| ≤ Bmax can
 * observe: a point at latitude b has central angle ≥ |b| − Bmax to every such observer, and θ ≥ γ, so
 * only the band |b| ≤ θmax + Bmax is reachable; its area fraction is sin(min(90°, θmax + Bmax)).
 */
export function polarCeiling(thetaMaxDeg: number, bMaxDeg = 0): number {
  return Math.sin(Math.min(90, thetaMaxDeg + Math.abs(bMaxDeg)) * RAD);
}

/** Heliographic latitude of an observer at ecliptic longitude λ when the axis is tilted by i: B = asin(sin i · sin(λ − Ω)). */
export function observerLatitude(lonDeg: number, tiltDeg = SOLAR_AXIS_TILT_DEG, nodeDeg = 0): number {
  return Math.asin(Math.sin(tiltDeg * RAD) * Math.sin((lonDeg - nodeDeg) * RAD)) / RAD;
}
