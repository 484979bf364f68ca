// An operator's morning in headless Chromium: log in to the gateway's
// dashboard, watch the ingest count rise while handhelds upload, settle a
// flagged record from the review queue, and open the distribution pages.
//   node dashboard.mjs URL NAME PASSWORD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { chromium } from "playwright-core";

const [url, name, password, screenshot] = process.argv.slice(2);
const problems = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/lib/chromium/chromium",
  // The sandbox needs user namespaces, which a CI container may not give.
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // A script error or a refused resource (the content policy) fails the test.
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push("console error: " + message.text());
  });

  await page.goto(url);
  await page.fill("#login-form input[name=name]", name);
  await page.fill("#login-form input[name=password]", password);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#ingest-view:not([hidden])");
  await page.waitForFunction(() => document.getElementById("live-state").textContent === "live");

  const total = async () => Number((await page.textContent("#total")).replace(/,/g, "")) || 0;
  await page.waitForFunction(() => document.getElementById("total").textContent !== "–");
  const first = await total();
  await page.waitForFunction(
    (before) => Number(document.getElementById("total").textContent.replace(/,/g, "")) > before,
    first, { timeout: 20000 });
  const second = await total();
  await page.waitForFunction(
    (before) => Number(document.getElementById("total").textContent.replace(/,/g, "")) > before,
    second, { timeout: 20000 });
  const third = await total();
  console.log(`ingest count seen rising: ${first} → ${second} → ${third}`);
  if (!(await page.$("#rate-chart canvas"))) problems.push("the ingest chart was not drawn");
  if (!(await page.$("#latency-chart canvas"))) problems.push("the latency chart was not drawn");
  if ((await page.$$("#devices tbody tr")).length === 0) problems.push("no device listed");
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.click("#tabs button[data-tab=review]");
  const card = page.locator("article.review").first();
  await card.waitFor();
  const reason = await card.locator(".reasons code").first().textContent();
  await card.locator("button.approve").click();
  // Without a comment the page asks for one and settles nothing.
  await card.locator(".decision .error", { hasText: "say why first" }).waitFor();
  await card.locator("input[name=comment]").fill("the rep sent a photo of the new shop front");
  await card.locator("button.approve").click();
  await card.locator(".verdict.approve").waitFor();
  console.log(`approved a record flagged ${reason}`);

  await page.click("#tabs button[data-tab=books]");
  await page.locator("#coverage li").first().waitFor();
  const grades = await page.locator("#coverage li").count();
  if (grades !== 3) problems.push(`coverage shows ${grades} grades, not A, B and C`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-review.png") });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}

if (problems.length) {
  for (const problem of problems) console.log("problem: " + problem);
  process.exit(1);
}
