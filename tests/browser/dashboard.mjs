// An operator's morning in headless Chromium: the dashboard in Chinese,
// the ingest count rising while handhelds upload, a device that left shown
// idle rather than online, a flagged record found by its reason and settled
// from the review queue, English one click away and remembered, and the
// distribution pages.
//   node dashboard.mjs URL NAME PASSWORD [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await watchedPage(context, problems);

  await page.goto(url);
  expect(await page.getAttribute("html", "lang") === "zh-CN", "the page is not marked zh-CN");
  expect((await page.textContent("#login-form h2")) === "登录", "the login form is not in Chinese");
  // A wrong password is told in Chinese, not in the API's English.
  await page.fill("#login-form input[name=name]", name);
  await page.fill("#login-form input[name=password]", "not the password");
  await page.click("#login-form button[type=submit]");
  await page.locator("#login-error", { hasText: "用户名或密码错误" }).waitFor();
  // Chromium logs the refused login's 401 as a console error: that one is expected.
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 401/.test(p)));

  await logIn(page, url, name, password);
  await page.waitForFunction(() => document.getElementById("live-state").textContent === "实时");
  for (const [selector, text] of [["#tabs button[data-tab=ingest]", "数据接收"],
                                  ["#tabs button[data-tab=review] [data-text]", "审核队列"],
                                  ["#devices th:nth-child(3)", "状态"],
                                  ["#logout", "退出登录"]])
    expect((await page.textContent(selector)).trim() === text, `${selector} does not read ${text}`);
  // The audit log is for admins: a reviewer has no tab for it.
  expect(!(await page.isVisible("#tabs button[data-tab=audit]")), "a reviewer is offered the audit log");

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
  // A chart needs two of the history's 5 s samples before it has a line.
  for (const [id, what] of [["rate-chart", "ingest"], ["latency-chart", "latency"]])
    if (!(await page.waitForSelector(`#${id} canvas`, { timeout: 15000 }).catch(() => null)))
      problems.push(`the ${what} chart was not drawn`);
  for (const id of ["rate-chart", "latency-chart"])
    expect(!(await page.isVisible(`#${id}-none`)), `the ${id} says it has no data beside its data`);
  if ((await page.$$("#devices tbody tr")).length === 0) problems.push("no device listed");

  // dev-001 sent its record and hung up before the fleet started.
  const left = page.locator("#devices tbody tr", { hasText: "dev-001" }).locator("td.state");
  await left.waitFor();
  const leftState = await left.getAttribute("data-state");
  expect(leftState === "idle", `dev-001 has no connection open but is shown ${leftState}`);
  expect((await left.textContent()) === "空闲", "an idle device does not read 空闲");
  console.log(`a device without a connection is shown ${await left.textContent()} (${leftState})`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // The tab's own load of the whole queue is held back until the filtered
  // load has answered: its late answer must not replace the cards shown.
  const wholeQueue = (u) => u.pathname === "/api/review" && !u.searchParams.has("reason");
  await page.route(wholeQueue, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  }, { times: 1 });
  const lateAnswer = page.waitForResponse((r) => wholeQueue(new URL(r.url())));
  await page.click("#tabs button[data-tab=review]");
  await page.selectOption("#review-filter select[name=reason]", "outside_geofence");
  await page.click("#review-filter button[type=submit]");
  const card = page.locator("article.review", { hasText: "dev-001" }).first();
  await card.waitFor();
  const reason = (await card.locator(".reasons .reason-name").first().textContent()).trim();
  expect(reason === "不在终端签到范围内 outside_geofence", `the reason reads "${reason}"`);
  expect((await card.locator("header strong").textContent()) === "签到", "the record kind is not 签到");
  await card.locator("button.approve").click();
  // Without a comment the page asks for one and settles nothing.
  await card.locator(".decision .error", { hasText: "请先填写理由" }).waitFor();
  await lateAnswer;
  await page.waitForTimeout(300);
  expect((await card.locator(".decision .error").textContent()) === "请先填写理由",
         "the queue's older, later answer replaced the card being settled");
  const offFilter = await page.$$eval("article.review", (cards) => cards.filter(
    (c) => ![...c.querySelectorAll(".reason-name")].some((r) => r.textContent.includes("outside_geofence"))).length);
  expect(offFilter === 0, `${offFilter} cards without the filter's reason shown under it`);
  await card.locator("input[name=comment]").fill("代表发来了新门头照片");
  await card.locator("button.approve").click();
  await card.locator(".verdict.approve", { hasText: "已通过" }).waitFor();
  console.log(`approved a record flagged ${reason}`);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-review.png") });

  // English one click away, and still English after a reload.
  await page.click("#language");
  expect(await page.getAttribute("html", "lang") === "en", "the switch did not make the page English");
  await page.locator("#tabs button[data-tab=ingest]", { hasText: "Ingest" }).waitFor();
  await page.selectOption("#review-filter select[name=state]", "decided");
  await page.click("#review-filter button[type=submit]");
  const settled = page.locator("article.review", { hasText: "dev-001" }).first();
  await settled.locator(".verdict.approve", { hasText: "approved" }).waitFor();
  const english = (await settled.locator(".reasons .reason-name").first().textContent()).trim();
  expect(english === "outside_geofence", `in English the reason reads "${english}"`);
  // The record's fields by their English names, not the payload's keys.
  const fieldNames = await settled.locator("dl.payload dt").allTextContents();
  const rawKeys = fieldNames.filter((n) => /^[a-z]|[a-z][A-Z]/.test(n));
  expect(fieldNames.length > 0 && rawKeys.length === 0, `payload keys on the English card: ${rawKeys.join(", ")}`);
  const fieldValues = await settled.locator("dl.payload dd").allTextContents();
  const rawValues = fieldValues.filter((v) => /^[a-z]+[A-Z]/.test(v));
  expect(rawValues.length === 0, `payload values on the English card: ${rawValues.join(", ")}`);
  console.log("in English the card reads " + fieldNames.map((n, i) => n + ": " + fieldValues[i]).join("; "));
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, "-review-en.png") });
  await page.reload();
  await page.waitForSelector("#ingest-view:not([hidden])");
  expect(await page.getAttribute("html", "lang") === "en", "English was not remembered after a reload");
  expect((await page.textContent("#language")) === "中文", "the switch back does not read 中文");
  await page.waitForFunction(() => document.getElementById("live-state").textContent === "live");
  // The tile fills from the overview, which comes apart from the live stream.
  const tile = await page.waitForFunction(
    () => /^\d+ online$/.test(document.getElementById("devices-online").textContent), null,
    { timeout: 15000 }).then(() => true, () => false);
  expect(tile, "the device tile is not English");
  await page.click("#language");
  await page.reload();
  await page.waitForSelector("#ingest-view:not([hidden])");
  expect(await page.getAttribute("html", "lang") === "zh-CN", "Chinese was not remembered after a reload");
  console.log("switched to English and back, each remembered after a reload");

  await page.click("#tabs button[data-tab=books]");
  await page.locator("#coverage li").first().waitFor();
  const grades = await page.locator("#coverage li").count();
  if (grades !== 3) problems.push(`coverage shows ${grades} grades, not A, B and C`);
  expect((await page.locator("#coverage li").first().textContent()).includes("A 级"), "grades are not in Chinese");

  if (screenshot) {
    for (const [width, height, suffix] of [[1280, 800, "-1280"], [390, 844, "-phone"]]) {
      await page.setViewportSize({ width, height });
      await page.click("#tabs button[data-tab=ingest]");
      await page.waitForTimeout(2500);
      await page.screenshot({ path: screenshot.replace(/\.png$/, suffix + ".png"), fullPage: true });
    }
  }
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
