// A review card with the photo the handheld sent: a flagged check-in offers
// its storefront photo, which a click opens on the card (the gateway audits
// that), a second click enlarges and Escape closes, without asking the
// gateway again; a flagged check-in whose photo never arrived says so. No
// console errors.
//   node photo.mjs URL NAME PASSWORD [SCREENSHOT.png]
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.click("#tabs button[data-tab=review]");
  await page.waitForSelector("#review-list article.review");

  // Nothing is fetched until the operator asks for it.
  const asked = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/photos/")) asked.push(request.url());
  });
  const open = page.locator("article.review .photo-view button.open-personal");
  await open.first().waitFor();
  expect(await page.locator("article.review img.photo-thumb").count() === 0,
         "a photo is shown before it was opened");
  expect(await open.textContent() === "查看照片（记入审计日志）",
         `the button reads "${await open.textContent()}"`);
  expect(asked.length === 0, "the photo was asked for before it was opened");
  await open.click();
  const image = page.locator("article.review img.photo-thumb");
  await image.first().waitFor();
  expect(await image.count() === 1, `expected one photo on the cards, saw ${await image.count()}`);
  // Drawn: the browser decoded what the gateway served.
  await page.waitForFunction(() => {
    const img = document.querySelector("article.review img.photo-thumb");
    return img && img.complete && img.naturalWidth > 0;
  });
  const size = await image.evaluate((img) => `${img.naturalWidth}x${img.naturalHeight}`);
  expect(size === "320x220", `the photo is drawn at ${size}, not 320x220`);
  expect(await image.getAttribute("alt") === "门头照", "the photo is not named 门头照");
  const missing = page.locator("article.review .photo-missing");
  expect(await missing.count() === 1 && (await missing.textContent()) === "照片未到",
         "the check-in whose photo did not arrive does not say 照片未到");
  console.log(`photo seen on the review card (${size}); the other card says 照片未到`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await image.click();
  const overlay = page.locator(".photo-overlay img");
  await overlay.waitFor();
  const enlarged = await overlay.evaluate((img) => img.getBoundingClientRect().width);
  const thumb = await image.evaluate((img) => img.getBoundingClientRect().width);
  expect(enlarged > thumb, `the enlarged photo (${enlarged}px) is not larger than the card's (${thumb}px)`);
  console.log("photo enlarged on click");
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-enlarged.png") });
  await page.keyboard.press("Escape");
  await page.locator(".photo-overlay").waitFor({ state: "detached" });
  expect(asked.length === 1, `the gateway was asked for the photo ${asked.length} times, not once`);

  await page.click("#language");
  await page.locator("article.review .photo-missing", { hasText: "photo not received" }).waitFor();
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
