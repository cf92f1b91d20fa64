/** Solar surface coverage by observers in the ecliptic (Solar Ring, arXiv 2210.10402). */
export {
  AU_IN_RSUN,
  SOLAR_AXIS_TILT_DEG,
  unit,
  viewingAngle,
  grid,
  coverageCount,
  areaFraction,
  rotationFractionByLatitude,
  equatorGaps,
  fullRotationLatitude,
  largestLongitudeGap,
  reachAngle,
  polarCeiling,
  observerLatitude,
  type Observer,
  type Grid,
} from "./geometry";
export { SOLAR_RING, configurations, withTilt, type Configuration } from "./configurations";
