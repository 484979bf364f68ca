// The photo on a review card: the storefront (门头照) of a check-in or the
// shelf of a display, as the handheld sent it, enlarged on click; "photo
// not received" while the record has come and its photo has not. A photo
// is personal data: it opens on a click, each opening an audit entry, and
// only for the roles allowed (the gateway leaves out its hash for others).
// Loaded before app.js, whose el() and t() it uses once the page runs;
// app.js's review card calls photoView(record).
"use strict";

function photoView(record) {
  if (!record.photo) return null;
  const box = el("figure", null, "photo-view");
  if (!record.photo.received) {
    box.append(el("figcaption", t("photo.not_received"), "photo-missing"));
    return box;
  }
  if (!record.photo.sha256) {
    box.append(el("figcaption", t("photo.withheld"), "hint"));
    return box;
  }
  const open = el("button", t("photo.open"), "open-personal");
  open.type = "button";
  open.addEventListener("click", () => showPhoto(record, box));
  box.append(open);
  return box;
}

// Asks the gateway for the photo once, then shows it from memory: the
// thumbnail and the enlarged view are one opening, one audit entry.
async function showPhoto(record, box) {
  box.replaceChildren(el("figcaption", t("photo.loading"), "hint"));
  try {
    const response = await fetchOk("/api/photos/" + encodeURIComponent(record.photo.sha256),
                                   { credentials: "same-origin" });
    const url = URL.createObjectURL(await response.blob());
    const image = document.createElement("img");
    image.src = url;
    image.alt = t(record.kind === "check_in" ? "photo.storefront" : "photo.shelf");
    image.className = "photo-thumb";
    image.title = t("photo.enlarge");
    image.addEventListener("click", () => enlargePhoto(url, image.alt));
    box.replaceChildren(image, el("figcaption", image.alt + " · " + t("photo.enlarge"), "hint"));
  } catch (e) {
    box.replaceChildren(el("figcaption", problem(e), "error"));
  }
}

// The photo over the page at its own size (within the window); a click or
// Escape closes it.
function enlargePhoto(src, alt) {
  const overlay = el("div", null, "photo-overlay");
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-label", alt);
  overlay.title = t("photo.close");
  const image = document.createElement("img");
  image.src = src;
  image.alt = alt;
  overlay.append(image);
  const close = () => {
    overlay.remove();
    document.removeEventListener("keydown", onKey);
  };
  const onKey = (event) => { if (event.key === "Escape") close(); };
  overlay.addEventListener("click", close);
  document.addEventListener("keydown", onKey);
  document.body.append(overlay);
}
