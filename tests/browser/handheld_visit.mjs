// A whole visit on the rep's app, on a phone's screen against the real
// `serve` and gateway: today's plan, a check-in inside T1's geofence with a
// storefront photo, codes from the scan engine arriving as scans with what
// was parsed and the catalogue's warnings, a typed code, counts, a display
// with its photo, check-out; then a check-in at T3, outside, with a reason.
// The background sync empties the outbox with no sync pressed, and the
// count the gateway rejected shows in Chinese, its detail too (English on
// the switch); 更正 there, with no visit open, opens the count form alone,
// and the correction is saved naming the rejected record, for its store,
// and accepted by the gateway.
// No console errors.
//   node handheld_visit.mjs AGENT STATE GATEWAY WORKDIR [SCREENSHOT_DIR]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checks, finish, launch, watchedPage } from "./browser.mjs";
import { gtin, handheldAtT1, phone, smallTargets, solidPng } from "./handheld_agent.mjs";

const [agent, state, gateway, work, shots] = process.argv.slice(2);
const photo = path.join(path.dirname(fileURLToPath(import.meta.url)), "storefront.png");
const shot = (page, name, full = false) => shots ? page.screenshot({ path: path.join(shots, name + ".png"), fullPage: full }) : null;
const { problems, expect } = checks();

const { gpsd, engine, serve } = await handheldAtT1({ agent, state, gateway, work });
const browser = await launch();
try {
  const page = await watchedPage(await phone(browser), problems);
  await page.goto(serve.url);
  expect(await page.getAttribute("html", "lang") === "zh-CN", "the page is not zh-CN by default");

  // 今日: the plan in its order, T1 then T3, with distances, once serve's
  // own sync has brought the plan down.
  await page.waitForFunction(() => app.state && app.state.plan_version > 0, null, { timeout: 60000 }).catch(() => {
    throw new Error("no plan came down: serve holds no plan_version");
  });
  const list = "#plan";
  await page.waitForSelector(list + " button.terminal[data-terminal=T3]").catch(() => {
    throw new Error(`today's ${list} never listed T3`);
  });
  const plan = await page.locator(list + " button.terminal").evaluateAll((b) => b.map((x) => x.dataset.terminal));
  expect(plan.join(",") === "T1,T3", `today's ${list} shows ${plan.join(",")}, not T1,T3`);
  const near = await page.locator(list + " button[data-terminal=T1] .distance").textContent();
  expect(/^\d+ 米$/.test(near), "T1's distance reads " + near);
  console.log("today's plan shown: " + plan.join(",") + ", T1 at " + near);
  const title = await page.textContent("#nearby-title");
  expect(title === "附近的终端（计划外）", `beside a plan the nearby list is titled ${title}`);
  // R1 is a retail rep, as the master data that came with the plan says:
  // 上传 (a commercial rep's work) is no tab of theirs, and its address
  // leads back to 今日.
  await page.waitForFunction(() => app.state.rep_role === "retail");
  const tabs = await page.locator("#tabs button:visible").allTextContents();
  expect(tabs.join(",") === "今日,拜访,结果", `a retail rep's tabs read ${tabs.join(",")}`);
  console.log("a retail rep's tabs: " + tabs.join(","));
  await page.evaluate(() => { location.hash = "#upload"; });
  await page.waitForSelector("#today-view:not([hidden])");
  expect(await page.isHidden("#upload-view"), "a retail rep reached 上传 by its address");
  await page.evaluate(() => { location.hash = "#today"; });
  await page.waitForFunction(() => document.querySelector("#sync-online").textContent === "在线");
  await shot(page, "handheld-today");
  const small = async (screen) => {
    const found = await smallTargets(page);
    expect(found.length === 0, `targets under 48 px on ${screen}: ${found.join(", ")}`);
  };
  await small("today");

  // A code scanned before any check-in is not saved, and the screen says so.
  await engine.scan("6901234567809");
  await page.waitForSelector("#notice:not([hidden]):has-text('没有进行中的拜访')", { timeout: 30000 });
  console.log("a code with no visit open: " + await page.textContent("#notice"));
  await page.tap("#notice");

  // 签到 at T1, inside, with a storefront photo.
  await page.tap(list + " button[data-terminal=T1]");
  await page.waitForSelector("#checkin-view:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#checkin-fix").textContent.startsWith("精度"));
  expect(await page.locator("#checkin-reason-label").isHidden(), "a reason is asked inside the geofence");
  await page.setInputFiles("#checkin-photo", photo);
  await page.waitForSelector("#checkin-photo-state:has-text('门头照已保存')");
  await shot(page, "handheld-checkin");
  await small("check-in");
  await page.tap("#checkin-form button[type=submit]");
  await page.waitForSelector("#visit-open:not([hidden])");
  expect((await page.textContent("#visit-name")).includes("老百姓大药房"), "the visit is not T1's");
  console.log("checked in at T1 inside its geofence");

  // The scan engine: a serialised pack of P1, one expired, one of no known product.
  await engine.scan("]d201" + gtin("0690123456789") + "172612311" + "0LOT42\x1d21SN1");
  await engine.scan("]d201" + gtin("0690123456789") + "172301311" + "0OLD1\x1d21SN2");
  await engine.scan("]d201" + gtin("0690000000000") + "172612311" + "0X1\x1d21SN3");
  await page.waitForFunction(() => document.querySelectorAll("#scans li.scan").length === 3, null, { timeout: 30000 });
  const first = page.locator("#scans li.scan", { hasText: "LOT42" });
  expect((await first.textContent()).includes("阿莫西林胶囊"), "the scan of P1 does not name the product");
  expect((await first.textContent()).includes(gtin("0690123456789")), "the scan of P1 does not show its GTIN");
  expect((await page.locator("#scans li.scan", { hasText: "OLD1" }).textContent()).includes("已过期"), "the expired lot is not marked 已过期");
  expect((await page.locator("#scans li.scan", { hasText: "X1" }).textContent()).includes("未知产品"), "the unknown product is not marked 未知产品");
  console.log("3 codes from the scan engine shown as scans");

  // A code typed by hand: P2's EAN-13.
  await page.fill("#code-form input[name=code]", "6901234567809");
  await page.tap("#code-form button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#scans li.scan").length === 4);
  expect(await page.inputValue("#code-form input[name=code]") === "", "the typed code stays after it was saved");

  // Counts: 5 packs of P1, and -3, which the gateway rejects.
  const saved = async (n) => page.waitForFunction((k) => document.querySelectorAll("#saved li").length === k, n);
  await page.fill("#count-form input[name=product]", "P1");
  await page.fill("#count-form input[name=quantity]", "5");
  await page.tap("#count-form button[type=submit]");
  await saved(1);
  await page.fill("#count-form input[name=product]", "P2");
  await page.fill("#count-form input[name=quantity]", "-3");
  await page.tap("#count-form button[type=submit]");
  await saved(2);

  // A display with its photo.
  await page.tap("form[data-report=display] >> xpath=.. >> summary");
  const display = page.locator("form[data-report=display]");
  await display.locator("input[name=product]").fill("P1");
  await display.locator("input[name=facings]").fill("3");
  await display.locator("select[name=position]").selectOption("counter");
  await display.locator("input[name=special]").check();
  await display.locator("input[name=photo]").setInputFiles(solidPng(path.join(work, "shelf.png"), 64, 48, [200, 40, 40]));
  await display.locator("button[type=submit]").tap();
  await saved(3);
  expect(await display.locator("input[name=product]").inputValue() === "", "the display form was not emptied once saved");
  // The gateway takes only the shelf positions the form offers.
  const positions = await display.locator("select[name=position] option").evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
  expect(positions.join(",") === "eye,top,middle,bottom,counter,end_cap", "the form offers shelf positions " + positions.join(","));
  console.log("2 counts and a display with a photo saved");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "handheld-visit");
  await small("the visit");

  // 签退, confirmed by a second tap.
  await page.tap("#checkout");
  await page.waitForSelector("#checkout:has-text('确认签退')");
  await page.tap("#checkout");
  await page.waitForSelector("#checked-out:not([hidden])");
  const out = await page.textContent("#checked-out");
  expect(/^已签退，本次拜访 \d+ (秒|分钟)$/.test(out), "check-out reads " + out);
  console.log("checked out: " + out);

  // T3 is 900 m away: the screen says how far and asks for a reason first.
  await page.tap("#tabs button[data-tab=today]");
  await page.tap(list + " button[data-terminal=T3]");
  await page.waitForSelector("#checkin-outside:not([hidden])");
  const outside = await page.textContent("#checkin-outside");
  expect(/距离终端 \d+ 米/.test(outside), "outside the geofence reads " + outside);
  await page.tap("#checkin-form button[type=submit]");
  await page.waitForSelector("#checkin-error:has-text('请先填写原因')");
  await page.fill("#checkin-form textarea[name=reason]", "门店临时搬迁到对面");
  await shot(page, "handheld-checkin-outside");
  await page.tap("#checkin-form button[type=submit]");
  await page.waitForSelector("#visit-open:not([hidden])");
  console.log("checked in at T3 outside its geofence with a reason");
  await page.tap("#checkout");
  await page.tap("#checkout");
  await page.waitForSelector("#checked-out:not([hidden])");

  // Everything delivered by the background sync: no sync was pressed.
  await page.waitForFunction(() => document.querySelector("#sync-waiting").textContent === "全部已上传", null, { timeout: 120000 });
  console.log("the outbox emptied with no sync pressed");

  // 结果: the rejected count in Chinese.
  await page.tap("#tabs button[data-tab=results]");
  const rejected = page.locator("#results li.result.rejected", { hasText: "数量为负" });
  for (let tries = 0; !(await rejected.count()) && tries < 30; ++tries) {
    await page.waitForTimeout(1000);
    await page.tap("#results-refresh");
  }
  expect(await rejected.count() === 1, "the rejected count is not shown as 数量为负");
  if (await rejected.count()) console.log("rejected count shown: " + (await rejected.first().textContent()));
  await shot(page, "handheld-results");

  // The gateway's detail in Chinese, as core reads it.
  const detail = await rejected.first().locator(".detail").textContent();
  expect(detail === "数量 -3 为负数", "the rejected count's detail reads " + detail);
  console.log("rejected count's detail: " + detail);

  // 更正, hours later and away from the store, with no visit open: the
  // count form alone, for the rejected record's store; the correction names
  // the record, and the gateway judges it by that record's visit.
  const rejectedSeq = Number((await rejected.first().locator("p.hint").textContent()).match(/记录 (\d+)/)[1]);
  await rejected.first().locator("button.correct").tap();
  await page.waitForSelector("#visit-view:not([hidden]) #correcting:not([hidden])");
  await page.waitForSelector("#count-form:visible");
  const alone = await page.textContent("#correcting-text");
  expect(alone.startsWith(`正在更正记录 ${rejectedSeq}（盘点，`) && alone.includes("无需签到"), "with no visit the correction reads " + alone);
  expect(await page.isHidden("#visit-none") && await page.isHidden("#checkout") && await page.isHidden("#scans-none"),
         "the correction alone shows the visit's other parts");
  expect(await page.locator("#count-form.correcting-form").count() === 1, "the count form is not marked as the correction's");
  await shot(page, "handheld-correcting");
  await small("a correction");
  await page.tap("#language");
  await page.waitForSelector("#correcting-text:has-text('Correcting record')");
  const aloneEn = await page.textContent("#correcting-text");
  expect(aloneEn.includes("no check-in needed"), "in English the correction reads " + aloneEn);
  await shot(page, "handheld-correcting-en");
  await page.tap("#language");
  await page.waitForSelector("#correcting-text:has-text('正在更正记录')");
  await page.fill("#count-form input[name=product]", "P2");
  await page.fill("#count-form input[name=quantity]", "3");
  await page.tap("#count-form button[type=submit]");
  await page.waitForSelector("#results-view:not([hidden])");
  await page.waitForSelector(`#results li.result.rejected .corrected:has-text('已更正')`);
  expect(await rejected.first().locator("button.correct").count() === 0, "a corrected record still offers 更正");
  const savedAs = await rejected.first().locator(".corrected").textContent();
  const state = await page.evaluate(() => api("/api/state"));
  expect(!state.visit, "a correction from 结果 opened a visit: " + JSON.stringify(state.visit));
  console.log("record " + rejectedSeq + " corrected from 结果 with no visit open: " + savedAs);
  // Delivered by the background sync; the gateway says nothing of it.
  await page.waitForFunction(async () => {
    const s = await api("/api/state");
    return s.records_waiting === 0 && s.photos_waiting === 0;
  }, null, { timeout: 120000, polling: 500 });
  const correctionSeq = Number(savedAs.match(/(\d+)/)[1]);
  const after = await page.evaluate(() => api("/api/results"));
  expect(!after.results.some((r) => r.seq === correctionSeq), "the gateway flagged the correction: " + JSON.stringify(after.results));

  // English, remembered after a reload.
  await page.tap("#language");
  await page.reload();
  await page.waitForSelector("#tabs button[data-tab=today]:has-text('Today')");
  expect(await page.getAttribute("html", "lang") === "en", "English is not remembered");
  // 结果 in English: the gateway's own words.
  await page.tap("#tabs button[data-tab=results]");
  const english = page.locator("#results li.result.rejected", { hasText: "negative_quantity" });
  await english.first().waitFor();
  const detailEn = await english.first().locator(".detail").textContent();
  expect(detailEn === "qty -3 is negative", "in English the detail reads " + detailEn);
  console.log("in English: " + detailEn);
  await shot(page, "handheld-results-en");
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  const ended = await serve.kill("SIGTERM");
  expect(ended.code === 0, "serve did not exit 0 on SIGTERM: " + JSON.stringify(ended));
  gpsd.close();
}
finish(problems);
