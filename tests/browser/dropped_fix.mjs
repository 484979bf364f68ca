// A reviewer opens a check-in whose exact fix was dropped at the end of its
// retention: the card says so beside the distance kept, and the drawing
// shows the terminal and that distance, with no fix.
//   node dropped_fix.mjs URL NAME PASSWORD [SCREENSHOT.png]
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
  const card = page.locator("article.review", { hasText: "dev-001 #1" });
  await card.waitFor();
  const fields = await card.locator("dl dt, dl dd").allTextContents();
  const at = fields.indexOf("精确位置");
  expect(at >= 0 && fields[at + 1] === "已过保留期删除，仅保留距离",
         `the card's fields read ${JSON.stringify(fields)}`);
  const distance = fields.indexOf("距终端（米）");
  expect(distance >= 0 && /^\d+$/.test(fields[distance + 1].replace(/,/g, "")),
         `the distance reads ${JSON.stringify(fields[distance + 1])}`);

  await card.locator("figure.checkin-drawing button.open-personal").click();
  const drawing = card.locator("figure.checkin-drawing svg");
  await drawing.waitFor();
  expect(await drawing.locator(".cd-terminal").count() === 1, "the drawing has no terminal");
  expect(await drawing.locator(".cd-fix").count() === 0, "the drawing shows a fix");
  const said = await drawing.locator(".cd-distance").textContent();
  expect(/^定位距终端 \d+ 公里（精确位置已过保留期删除）$/.test(said), `the distance reads "${said}"`);
  console.log(`dropped fix shown: ${fields[at]} ${fields[at + 1]}; ${said}`);
  if (screenshot) await card.screenshot({ path: screenshot });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
