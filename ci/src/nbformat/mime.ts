/** MIME types the runner treats specially, and how nbformat stores each kind of payload. */

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

/** Images the checker can compare (raster types are decoded when it can; SVG is text). */
export const IMAGE_MIME = /^image\/(png|jpeg|gif|bmp|webp|svg\+xml)$/;

/** JSON payloads (`application/json`, `application/*+json`): stored as JSON values, never split into lines. */
export function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

/** Payloads nbformat writes as a list of lines (text, JavaScript, SVG); base64 images stay one string. */
export function isMultilineMime(mime: string): boolean {
  return mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";
}
