// A flagged check-in drawn for its reviewer, from GET /api/review/ID/map:
// on the left the terminal, its geofence and the fix with its accuracy, to
// scale, with the distance between them; on the right the device's
// check-ins that day as a path with times, so that a hop no one could make
// shows as a long red line between two close times. Plain SVG on a flat
// projection (no map tiles: the console works offline), text put in with
// textContent only, as everywhere on the page.
"use strict";

const drawingSvg = "http://www.w3.org/2000/svg";
const drawingPanel = { width: 280, height: 240, margin: 28 };

// As presentation attributes: the page's Content-Security-Policy allows
// no inline <style>, and these belong to the drawing, not to app.css.
const drawingLook = {
  "cd-heading": { "font-size": 12, "font-weight": 600, fill: "#333" },
  "cd-note": { "font-size": 11, fill: "#777" },
  "cd-distance": { "font-size": 12, fill: "#333" },
  "cd-label": { "font-size": 11, fill: "#1a237e" },
  "cd-geofence": { fill: "#1565c0", "fill-opacity": 0.08, stroke: "#1565c0", "stroke-dasharray": "4 3" },
  "cd-terminal": { fill: "#1565c0" },
  "cd-accuracy": { fill: "#ef8f00", "fill-opacity": 0.15, stroke: "#ef8f00" },
  "cd-fix": { fill: "#ef8f00" },
  "cd-distance-line": { stroke: "#555", "stroke-dasharray": "2 2" },
  "cd-leg": { stroke: "#78909c", "stroke-width": 2 },
  "cd-leg-flagged": { stroke: "#c62828", "stroke-width": 3 },
  "cd-stop": { fill: "#fff", stroke: "#37474f", "stroke-width": 2 },
  "cd-this": { fill: "#ef8f00" },
  "cd-time": { "font-size": 11, fill: "#333" },
  "cd-scale": { fill: "none", stroke: "#555" },
  "cd-scale-text": { "font-size": 10, fill: "#555" },
  "cd-frame": { fill: "#fafafa", stroke: "#ddd" },
};

function drawingNode(name, attributes = {}, text) {
  const node = document.createElementNS(drawingSvg, name);
  for (const cls of (attributes.class || "").split(" "))
    for (const [key, value] of Object.entries(drawingLook[cls] || {})) node.setAttribute(key, value);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Metres east and north of an origin: flat over a city, and close enough
// over a day's drive for a drawing.
function drawingMetres(origin, lat, lon) {
  const north = 111195;
  return { x: (lon - origin.lon) * north * Math.cos(origin.lat * Math.PI / 180), y: (lat - origin.lat) * north };
}

// Fits points (in metres, each with an optional radius) into a panel
// starting at `left`: a function from metres to pixels, and pixels per metre.
function drawingFit(items, left) {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const { x, y, r = 0 } of items) {
    minX = Math.min(minX, x - r); maxX = Math.max(maxX, x + r);
    minY = Math.min(minY, y - r); maxY = Math.max(maxY, y + r);
  }
  // The top of the panel holds its heading and the distance.
  const heading = 20;
  const inner = { w: drawingPanel.width - 2 * drawingPanel.margin, h: drawingPanel.height - 2 * drawingPanel.margin - heading };
  // At least 100 m across, so that a fix on the terminal is not a zoom into nothing.
  const span = Math.max(maxX - minX, maxY - minY, 100);
  const scale = Math.min(inner.w, inner.h) / span;
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const px = (p) => ({
    x: left + drawingPanel.width / 2 + (p.x - cx) * scale,
    y: (drawingPanel.height + heading) / 2 - (p.y - cy) * scale,
  });
  return { px, scale };
}

function drawingLength(metres) {
  return metres >= 1000 ? t("drawing.km", { km: decimal(metres / 1000, metres >= 10000 ? 0 : 1) })
                        : t("drawing.m", { m: number(metres) });
}

// A scale bar of a round length, about a fifth of the panel wide.
function drawingScale(group, left, scale) {
  const want = drawingPanel.width / 5 / scale;
  const step = 10 ** Math.floor(Math.log10(want));
  const metres = [5, 2, 1].map((k) => k * step).find((m) => m <= want) || step;
  const x = left + 10, y = drawingPanel.height - 10, w = metres * scale;
  group.append(drawingNode("path", { d: `M${x} ${y - 4}V${y}H${x + w}V${y - 4}`, class: "cd-scale" }),
               drawingNode("text", { x: x + w + 4, y, class: "cd-scale-text" }, drawingLength(metres)));
}

function drawingNear(map) {
  const group = drawingNode("g", { class: "cd-near" });
  group.append(drawingNode("text", { x: 8, y: 16, class: "cd-heading" }, t("drawing.near")));
  const terminal = map.terminal, fix = map.fix;
  if (!terminal && !fix) {
    group.append(drawingNode("text", { x: 8, y: 40, class: "cd-note" }, t("drawing.nothing")));
    return group;
  }
  const origin = terminal || fix;
  const items = [];
  const at = terminal ? { ...drawingMetres(origin, terminal.lat, terminal.lon), r: terminal.radius_m } : null;
  const seen = fix ? { ...drawingMetres(origin, fix.lat, fix.lon), r: fix.accuracy_m } : null;
  if (at) items.push(at);
  if (seen) items.push(seen);
  const { px, scale } = drawingFit(items, 0);
  if (at) {
    const c = px(at);
    const circle = drawingNode("circle", { cx: c.x, cy: c.y, r: Math.max(at.r * scale, 1), class: "cd-geofence" });
    circle.append(drawingNode("title", {}, t("drawing.radius", { m: number(terminal.radius_m) })));
    const mark = drawingNode("rect", { x: c.x - 5, y: c.y - 5, width: 10, height: 10, class: "cd-terminal" });
    mark.append(drawingNode("title", {}, terminal.id + " " + terminal.name));
    group.append(circle, mark,
                 drawingNode("text", { x: c.x + 8, y: c.y - 8, class: "cd-label" }, terminal.id));
  }
  if (seen) {
    const f = px(seen);
    const accuracy = drawingNode("circle", { cx: f.x, cy: f.y, r: Math.max(seen.r * scale, 1), class: "cd-accuracy" });
    accuracy.append(drawingNode("title", {}, t("drawing.accuracy", { m: number(fix.accuracy_m) })));
    const dot = drawingNode("circle", { cx: f.x, cy: f.y, r: 3, class: "cd-fix" });
    dot.append(drawingNode("title", {}, t("drawing.fix")));
    if (at) {
      const c = px(at);
      group.append(drawingNode("line", { x1: c.x, y1: c.y, x2: f.x, y2: f.y, class: "cd-distance-line" }));
    }
    group.append(accuracy, dot);
  }
  const said = (map.distance_m !== null ? t("drawing.distance", { distance: drawingLength(map.distance_m) })
                : !fix ? t("drawing.no_fix") : t("drawing.unknown_terminal")) +
               (map.fix_dropped ? t("drawing.dropped") : "");
  group.append(drawingNode("text", { x: 8, y: 34, class: "cd-distance" }, said));
  drawingScale(group, 0, scale);
  return group;
}

function drawingDay(map, flaggedTravel) {
  const left = drawingPanel.width;
  const group = drawingNode("g", { class: "cd-day" });
  group.append(drawingNode("text", { x: left + 8, y: 16, class: "cd-heading" }, t("drawing.day", { day: map.day })));
  const located = map.path.filter((p) => p.located);
  const unplaced = map.path.length - located.length;
  const notes = [];
  if (unplaced) notes.push(t("drawing.unplaced", { n: unplaced }));
  if (map.outside_scope) notes.push(t("drawing.outside", { n: map.outside_scope }));
  notes.forEach((note, i) => group.append(drawingNode("text", { x: left + 8, y: 34 + 16 * i, class: "cd-note" }, note)));
  if (!located.length) return group;
  const origin = located.find((p) => p.this) || located[0];
  const points = located.map((p) => ({ ...drawingMetres(origin, p.lat, p.lon), stop: p }));
  const { px, scale } = drawingFit(points, left);
  const at = points.map((p) => px(p));
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1].stop, b = points[i].stop;
    // The legs into and out of this check-in are the ones the gateway judged.
    const judged = flaggedTravel && (a.this || b.this);
    const leg = drawingNode("line", { x1: at[i - 1].x, y1: at[i - 1].y, x2: at[i].x, y2: at[i].y,
                                      class: "cd-leg" + (judged ? " cd-leg-flagged" : "") });
    const metres = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    const minutes = Math.max((b.captured_at_ms - a.captured_at_ms) / 60000, 0);
    leg.append(drawingNode("title", {}, t("drawing.leg", { distance: drawingLength(metres), minutes: number(minutes) })));
    group.append(leg);
  }
  const stops = points.map((p, i) => ({ ...at[i], r: p.stop.this ? 6 : 4 }));
  const taken = stops.map((c) => ({ x0: c.x - c.r - 1, x1: c.x + c.r + 1, y0: c.y - c.r - 1, y1: c.y + c.r + 1 }));
  // The legs, as points every few pixels, for the labels to keep off.
  for (let i = 1; i < at.length; i++) {
    const steps = Math.ceil(Math.hypot(at[i].x - at[i - 1].x, at[i].y - at[i - 1].y) / 3);
    for (let k = 1; k < steps; k++) {
      const x = at[i - 1].x + (at[i].x - at[i - 1].x) * k / steps, y = at[i - 1].y + (at[i].y - at[i - 1].y) * k / steps;
      taken.push({ x0: x - 1, x1: x + 1, y0: y - 1, y1: y + 1 });
    }
  }
  points.forEach((p, i) => {
    const text = p.stop.time + " " + p.stop.terminal;
    const stop = drawingNode("circle", { cx: at[i].x, cy: at[i].y, r: stops[i].r,
                                         class: "cd-stop" + (p.stop.this ? " cd-this" : "") });
    stop.dataset.time = p.stop.time;
    stop.append(drawingNode("title", {}, text));
    const label = drawingLabel(stops[i], text, left, taken);
    taken.push(label.box);
    group.append(stop, drawingNode("text", { x: label.x, y: label.y, class: "cd-time", "text-anchor": label.anchor },
                                   text));
  });
  drawingScale(group, left, scale);
  return group;
}

// Where a stop's label goes: beside the stop, above, level with or below it, on its
// right or (near the panel's right edge first) its left, at the first place
// inside the panel that covers no stop, leg or label already put; a rep back where they were,
// or two stops a short walk apart on a long day's scale, get one label
// each instead of one over the other. Widths are estimated, as the labels
// are placed before the drawing is on the page.
function drawingLabel(stop, text, left, taken) {
  const width = text.length * 6.5, gap = stop.r + 3;
  const rightward = stop.x + gap + width < left + drawingPanel.width - 6;
  const sides = rightward ? [1, -1] : [-1, 1];
  // Nearest first: above, level with and below the stop, then a line further up or down.
  const rows = [stop.y - gap, stop.y + 4, stop.y + gap + 8];
  for (let k = 1; k < 6; k++) rows.push(stop.y - gap - 13 * k, stop.y + gap + 8 + 13 * k);
  const tries = [];
  for (const y of rows)
    for (const side of sides)
      for (const x of [gap, gap + 12])
        tries.push({ x: stop.x + side * x, y, anchor: side > 0 ? "start" : "end" });
  const boxed = (c) => ({ ...c, box: { x0: c.anchor === "start" ? c.x : c.x - width,
                                       x1: c.anchor === "start" ? c.x + width : c.x, y0: c.y - 9, y1: c.y + 2 } });
  // Inside the panel, below its heading and note, above its scale bar.
  const inside = (c) => c.box.x0 > left + 4 && c.box.x1 < left + drawingPanel.width - 8 &&
                        c.box.y0 > 38 && c.box.y1 < drawingPanel.height - 18;
  const free = (c) => inside(c) && !taken.some((b) => c.box.x0 < b.x1 && b.x0 < c.box.x1 && c.box.y0 < b.y1 && b.y0 < c.box.y1);
  return tries.map(boxed).find(free) || boxed(tries[0]);
}

// The figure for a flagged check-in's review card. Where a rep stood is
// personal data: the gateway writes an audit entry each time it is opened,
// so it is opened by a click, not by showing the card.
function checkinDrawing(r) {
  const figure = el("figure", null, "checkin-drawing");
  const open = el("button", t("drawing.open"), "open-personal");
  open.type = "button";
  open.addEventListener("click", () => drawCheckin(r, figure));
  figure.append(open);
  return figure;
}

// Fills `figure` with the drawing once the gateway answers.
function drawCheckin(r, figure) {
  figure.replaceChildren(el("figcaption", t("drawing.loading"), "hint"));
  api("/api/review/" + r.id + "/map").then((map) => {
    const svg = drawingNode("svg", {
      viewBox: `0 0 ${2 * drawingPanel.width} ${drawingPanel.height}`,
      width: 2 * drawingPanel.width, height: drawingPanel.height, role: "img",
      "aria-label": t("drawing.title"),
    });
    svg.append(drawingNode("rect", { x: 0.5, y: 0.5, width: drawingPanel.width - 4, height: drawingPanel.height - 1, class: "cd-frame" }),
               drawingNode("rect", { x: drawingPanel.width + 3.5, y: 0.5, width: drawingPanel.width - 4, height: drawingPanel.height - 1, class: "cd-frame" }),
               drawingNear(map), drawingDay(map, r.reasons.some((x) => x.code === "impossible_travel")));
    figure.replaceChildren(svg);
  }).catch((e) => {
    figure.replaceChildren(el("figcaption", problem(e), "error"));
  });
}
