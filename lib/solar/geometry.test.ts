import assert from "node:assert/strict";
import {
  AU_IN_RSUN,
  areaFraction,
  configurations,
  coverageCount,
  equatorGaps,
  grid,
  observerLatitude,
  polarCeiling,
  reachAngle,
  rotationFractionByLatitude,
  SOLAR_RING,
  fullRotationLatitude,
  largestLongitudeGap,
  viewingAngle,
  withTilt,
} from "./index";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

describe("solar/geometry", () => {
  it("viewing angle: 0 at disc centre, 90° exactly on the geometric limb seen from distance d", () => {
    close(viewingAngle(0, 0, { name: "E", lon: 0 }), 0, 1e-9);
    const limb = (Math.acos(1 / AU_IN_RSUN) * 180) / Math.PI; // tangent point of a line from the observer
    close(viewingAngle(0, limb, { name: "E", lon: 0 }), 90, 1e-6);
    close(viewingAngle(30, 0, { name: "E", lon: 0, distance: Infinity }), 30, 1e-9);
  });
  it("a single distant observer sees a cap of area (1 − cos θmax)/2", () => {
    const g = grid(0.5);
    for (const th of [30, 60, 80]) {
      const frac = areaFraction(g, coverageCount(g, [{ name: "E", lon: 0, distance: Infinity }], th));
      close(frac, (1 - Math.cos((th * Math.PI) / 180)) / 2, 2e-3, `θmax ${th}`);
    }
  });
  it("a configuration symmetric about the Sun–Earth line and the ecliptic gives a mirror-symmetric map", () => {
    const g = grid(2),
      nLat = g.lats.length,
      nLon = g.lons.length;
    const c = coverageCount(g, configurations()[2].observers, 60); // Earth + ±60°
    for (let i = 0; i < nLat; i++)
      for (let j = 0; j < nLon; j++) {
        assert.equal(c[i * nLon + j], c[(nLat - 1 - i) * nLon + j], "north/south");
        assert.equal(c[i * nLon + j], c[i * nLon + (nLon - 1 - j)], "east/west");
      }
  });
  it("parallax: from 1 au each observer reaches slightly less than θmax in central angle", () => {
    const g = reachAngle(60);
    assert.ok(g < 60 && g > 59.7, `${g}`);
    close(reachAngle(60, Infinity), 60, 1e-12);
  });
  it("the Solar Ring trio covers the whole equator orthographically at θmax = 60°, and leaves slivers from 1 au", () => {
    const ortho = SOLAR_RING.map((o) => ({ ...o, distance: Infinity }));
    assert.deepEqual(equatorGaps(ortho, 60), []);
    const gaps = equatorGaps(SOLAR_RING, 60);
    assert.equal(gaps.length, 3);
    for (const gp of gaps) assert.ok(gp.to - gp.from < 0.6, JSON.stringify(gp));
    assert.deepEqual(equatorGaps(SOLAR_RING, 61), []);
  });
  it("no in-ecliptic configuration beats the polar ceiling sin(θmax + Bmax)", () => {
    const g = grid(1);
    for (const cfg of configurations())
      for (const th of [60, 70, 80]) {
        const f = areaFraction(g, coverageCount(g, cfg.observers, th));
        assert.ok(f <= polarCeiling(th), `${cfg.name} ${th}: ${f} > ${polarCeiling(th)}`);
      }
    close(polarCeiling(60), Math.sqrt(3) / 2, 1e-12);
  });
  it("rotation fraction is 1 at the equator for the trio with θmax 70° and 0 above the reachable band", () => {
    const g = grid(1),
      r = rotationFractionByLatitude(g, coverageCount(g, SOLAR_RING, 70));
    close(r[90], 1, 0);
    close(r[179], 0, 0); // latitude 89.5° > 70°
  });
  it("tilt gives observers heliographic latitudes within ±7.25°", () => {
    close(observerLatitude(90), 7.25, 1e-9);
    close(observerLatitude(0), 0, 1e-9);
    for (const o of withTilt(SOLAR_RING, 7.25, 40)) assert.ok(Math.abs(o.lat!) <= 7.25 + 1e-9);
  });
  it("the full-rotation band in closed form matches the grid's rotation fractions", () => {
    assert.equal(largestLongitudeGap(SOLAR_RING), 120);
    assert.equal(largestLongitudeGap([{ name: "E", lon: 0 }]), 360);
    close(
      fullRotationLatitude(SOLAR_RING, 70, Infinity),
      (Math.acos(2 * Math.cos((70 * Math.PI) / 180)) * 180) / Math.PI,
      1e-9,
      "orthographic 70°",
    );
    assert.equal(fullRotationLatitude(configurations()[2].observers, 80), -1, "Earth ± 60° leaves a 240° gap");
    const g = grid(0.5);
    for (const th of [70, 80]) {
      const bStar = fullRotationLatitude(SOLAR_RING, th);
      const f = rotationFractionByLatitude(g, coverageCount(g, SOLAR_RING, th));
      g.lats.forEach((b, i) => {
        if (Math.abs(b) < bStar - 0.5) assert.equal(f[i], 1, `θmax ${th}: latitude ${b} inside the band`);
        if (Math.abs(b) > bStar + 0.5) assert.ok(f[i] < 1, `θmax ${th}: latitude ${b} outside the band`);
      });
    }
  });
});
