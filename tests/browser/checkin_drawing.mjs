// A reviewer opens a check-in flagged impossible_travel and sees it drawn:
// the terminal, its geofence, the fix with its accuracy and distance, and
// the device's check-ins that day as a path with times, the hops into and
// out of this one in red.
//   node checkin_drawing.mjs URL NAME PASSWORD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);

  await page.click("#tabs button[data-tab=review]");
  await page.selectOption("#review-filter select[name=reason]", "impossible_travel");
  await page.click("#review-filter button[type=submit]");
  const card = page.locator("article.review", { hasText: "dev-001 #2" });
  await card.waitFor();
  // Where the rep stood opens on a click: the gateway audits each opening.
  const drawing = card.locator("figure.checkin-drawing svg");
  expect(await drawing.count() === 0, "the drawing is shown before it was opened");
  await card.locator("figure.checkin-drawing button.open-personal").click();
  await drawing.waitFor();

  for (const [selector, what] of [[".cd-terminal", "terminal"], [".cd-geofence", "geofence"],
                                  [".cd-fix", "fix"], [".cd-accuracy", "accuracy circle"]])
    expect(await drawing.locator(selector).count() === 1, `the drawing has no ${what}`);
  const radius = Number(await drawing.locator(".cd-geofence").getAttribute("r"));
  const accuracy = Number(await drawing.locator(".cd-accuracy").getAttribute("r"));
  // 150 m against 10 m, at one scale.
  expect(radius > accuracy * 10, `the geofence (r=${radius}) is not 15 times the accuracy (r=${accuracy})`);
  const distance = await drawing.locator(".cd-distance").textContent();
  expect(distance === "定位距终端 300 米", `the distance reads "${distance}"`);

  const times = await drawing.locator(".cd-stop").evaluateAll((stops) => stops.map((s) => s.dataset.time));
  expect(JSON.stringify(times) === JSON.stringify(["22:23", "22:33", "22:43"]),
         `the path's stops are at ${times}`);
  const labels = await drawing.locator(".cd-time").allTextContents();
  expect(JSON.stringify(labels) === JSON.stringify(["22:23 T1", "22:33 T2", "22:43 T1"]),
         `the path's labels read ${labels}`);
  expect(await drawing.locator(".cd-this").count() === 1, "this check-in is not marked on the path");
  const red = await drawing.locator(".cd-leg-flagged").count();
  expect(red === 2, `${red} hops are drawn as impossible, not the 2 into and out of this check-in`);
  const leg = await drawing.locator(".cd-leg-flagged title").first().textContent();
  expect(/^1\d\d 公里，用时 10 分钟$/.test(leg), `the hop reads "${leg}"`);
  console.log(`drawn: terminal, geofence, fix ${distance}, path ${labels.join(" → ")}`);
  if (screenshot) await card.screenshot({ path: screenshot });

  // In English the drawing speaks English too; the cards are drawn anew, so
  // it is opened anew.
  await page.click("#language");
  const again = page.locator("article.review", { hasText: "dev-001 #2" });
  await again.locator("button.open-personal", { hasText: "audit log" }).click();
  const english = again.locator(".cd-distance");
  await english.waitFor();
  const said = await english.textContent();
  expect(said === "fix 300 m from the terminal", `in English the distance reads "${said}"`);
  if (screenshot) await page.locator("article.review", { hasText: "dev-001 #2" })
    .screenshot({ path: screenshot.replace(/\.png$/, "-en.png") });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
